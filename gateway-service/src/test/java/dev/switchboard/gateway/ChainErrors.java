package dev.switchboard.gateway;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.web.server.WebFilter;

/**
 * Keeps every error that leaves the gateway's filter chain, including those raised after
 * the response was committed, which a client never sees (WebFlux only logs them).
 */
@TestConfiguration(proxyBeanMethods = false)
class ChainErrors {

	private final List<String> errors = new CopyOnWriteArrayList<>();

	@Bean
	@Order(Ordered.HIGHEST_PRECEDENCE)
	WebFilter chainErrors() {
		return (exchange, chain) -> chain.filter(exchange)
			.doOnError((ex) -> this.errors
				.add(exchange.getRequest().getMethod() + " " + exchange.getRequest().getPath() + ": " + ex));
	}

	/**
	 * @return the errors seen so far, as "method path: exception"
	 */
	List<String> errors() {
		return List.copyOf(this.errors);
	}

}
