package dev.switchboard.audit;

import java.util.Map;

import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.switchboard.testsupport.TestIdentity;

/**
 * Calls the service the way the gateway does: with the verified caller in an internal
 * identity token.
 */
public final class AuditApi {

	private final WebTestClient http;

	private final String tenant;

	private final String subject;

	private final String roles;

	public AuditApi(WebTestClient http, String tenant, String subject, String roles) {
		this.http = http;
		this.tenant = tenant;
		this.subject = subject;
		this.roles = roles;
	}

	public AuditApi as(String otherSubject, String otherRoles) {
		return new AuditApi(this.http, this.tenant, otherSubject, otherRoles);
	}

	public WebTestClient.ResponseSpec get(String path) {
		return this.http.get().uri(path).headers(this::identity).exchange();
	}

	public WebTestClient.ResponseSpec post(String path, Object body) {
		return this.http.post()
			.uri(path)
			.headers(this::identity)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(body)
			.exchange();
	}

	public WebTestClient.ResponseSpec post(String path) {
		return this.http.post().uri(path).headers(this::identity).exchange();
	}

	public WebTestClient.ResponseSpec patch(String path, Object body) {
		return this.http.patch()
			.uri(path)
			.headers(this::identity)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(body)
			.exchange();
	}

	public WebTestClient.ResponseSpec put(String path, Object body) {
		return this.http.put()
			.uri(path)
			.headers(this::identity)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(body)
			.exchange();
	}

	public WebTestClient.ResponseSpec delete(String path) {
		return this.http.delete().uri(path).headers(this::identity).exchange();
	}

	public Map<?, ?> ok(WebTestClient.ResponseSpec response) {
		return response.expectStatus().is2xxSuccessful().expectBody(Map.class).returnResult().getResponseBody();
	}

	public Map<?, ?> http201(WebTestClient.ResponseSpec response) {
		return response.expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody();
	}

	public Map<?, ?> problem(WebTestClient.ResponseSpec response, int status) {
		return response.expectStatus()
			.isEqualTo(status)
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody(Map.class)
			.returnResult()
			.getResponseBody();
	}

	public String tenant() {
		return this.tenant;
	}

	private void identity(org.springframework.http.HttpHeaders headers) {
		headers.setBearerAuth(TestIdentity.token("audit-service", this.tenant, this.subject, this.roles));
	}

}
