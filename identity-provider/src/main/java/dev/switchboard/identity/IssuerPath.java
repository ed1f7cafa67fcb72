package dev.switchboard.identity;

import java.io.IOException;
import java.net.URI;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.security.oauth2.server.authorization.autoconfigure.servlet.OAuth2AuthorizationServerProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ServletRequestPathUtils;

/**
 * Everything the provider serves also under the issuer's path, as Keycloak serves a realm
 * under {@code /realms/<realm>}: a request for {@code <issuer path>/x} is handled as one
 * for {@code /x}. The authorization server advertises its endpoints as the issuer
 * followed by their configured paths (discovery: {@code <issuer>/protocol/...}) but
 * serves them below the root, and OpenID Connect Discovery (section 4) puts the document
 * at {@code <issuer>/.well-known/openid-configuration}. Nothing changes while the issuer
 * has no path (the local start); a deployment's test gives it Keycloak's issuer, and
 * clients that discover from the issuer (the console) then find every endpoint where the
 * document says.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
class IssuerPath {

	@Bean
	FilterRegistrationBean<OncePerRequestFilter> servedUnderIssuerPath(OAuth2AuthorizationServerProperties server) {
		String issuer = server.getIssuer();
		String path = (issuer != null) ? URI.create(issuer).getPath().replaceAll("/+$", "") : "";
		FilterRegistrationBean<OncePerRequestFilter> registration = new FilterRegistrationBean<>(new Below(path));
		// Before Spring Security's filters, whose matchers see the path below.
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
		registration.setEnabled(!path.isEmpty());
		return registration;
	}

	/** Presents a request under the issuer's path as one for the path below it. */
	static final class Below extends OncePerRequestFilter {

		private final String issuerPath;

		Below(String issuerPath) {
			this.issuerPath = issuerPath;
		}

		@Override
		protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
				throws ServletException, IOException {
			String prefix = request.getContextPath() + this.issuerPath + "/";
			if (!request.getRequestURI().startsWith(prefix)) {
				chain.doFilter(request, response);
				return;
			}
			String below = request.getRequestURI().substring(prefix.length() - 1);
			HttpServletRequest wrapped = new HttpServletRequestWrapper(request) {

				@Override
				public String getRequestURI() {
					return request.getContextPath() + below;
				}

				@Override
				public String getServletPath() {
					return below;
				}

				@Override
				public StringBuffer getRequestURL() {
					StringBuffer url = new StringBuffer(request.getRequestURL());
					url.setLength(url.length() - request.getRequestURI().length());
					return url.append(getRequestURI());
				}

			};
			// The security filters' matchers read the parsed path when one is cached.
			ServletRequestPathUtils.parseAndCache(wrapped);
			chain.doFilter(wrapped, response);
		}

	}

}
