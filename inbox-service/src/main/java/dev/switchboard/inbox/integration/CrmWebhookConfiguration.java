package dev.switchboard.inbox.integration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The destination policy of CRM webhooks and the resolver it checks names with.
 */
@Configuration(proxyBeanMethods = false)
class CrmWebhookConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(CrmWebhookConfiguration.class);

	@Bean
	HostResolver systemHostResolver() {
		return HostResolver.SYSTEM;
	}

	@Bean
	DestinationPolicy crmDestinationPolicy(HostResolver resolver, CrmWebhookProperties properties) {
		if (properties.allowPlainHttpToLoopback()) {
			logger.warn("CRM webhooks may be plain http:// to loopback addresses "
					+ "(switchboard.crm-webhooks.allow-plain-http-to-loopback): for local runs only");
		}
		return new DestinationPolicy(resolver, properties.allowPlainHttpToLoopback());
	}

}
