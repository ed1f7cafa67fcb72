package dev.switchboard.identity;

import java.io.IOException;
import java.net.CookieManager;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtDecoders;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The provider as clients use it: over HTTP on its issuer's own port, with tokens checked
 * against its discovery document and JWKS.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT, properties = {
		"switchboard.identity.password=test-password", "switchboard.identity.client-secret=test-secret" })
class IdentityProviderIT {

	private static final int PORT = freePort();

	private static final String ISSUER = "http://127.0.0.1:" + PORT;

	private static final String REDIRECT = "http://127.0.0.1:8080/login/oauth2/code/switchboard";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();

	@DynamicPropertySource
	static void port(DynamicPropertyRegistry registry) {
		registry.add("server.port", () -> PORT);
	}

	@Test
	void whenDiscoveryIsAskedThenItNamesTheIssuerAndItsKeysServe() throws Exception {
		JsonNode discovery = json(get("/.well-known/openid-configuration"));
		assertThat(discovery.path("issuer").asString()).isEqualTo(ISSUER);
		assertThat(discovery.path("token_endpoint").asString()).isEqualTo(ISSUER + "/oauth2/token");
		assertThat(discovery.path("grant_types_supported").toString()).contains("client_credentials",
				"authorization_code");
		HttpResponse<String> jwks = get(URI.create(discovery.path("jwks_uri").asString()).getPath());
		assertThat(json(jwks).path("keys").get(0).path("kty").asString()).isEqualTo("RSA");
	}

	@Test
	void whenAUserAsksWithTheirClientSecretThenTheTokenCarriesTheirTenantRolesAudienceAndExpiry() throws Exception {
		Jwt token = decoder().decode(clientCredentials("olivia", "test-secret").path("access_token").asString());
		assertThat(token.getSubject()).isEqualTo("olivia");
		assertThat(token.getIssuer()).hasToString(ISSUER);
		assertThat(token.getAudience()).containsExactly("switchboard");
		assertThat(token.getClaimAsString("tenant")).isEqualTo("demo");
		assertThat(token.getClaimAsString("switchboard_user")).isEqualTo("olivia");
		assertThat(token.getClaimAsStringList("roles")).containsExactly("OWNER", "AGENT");
		assertThat(token.getExpiresAt()).isAfter(token.getIssuedAt());

		Jwt sre = decoder().decode(clientCredentials("sam", "test-secret").path("access_token").asString());
		assertThat(sre.getClaimAsString("tenant")).isEqualTo("platform");
		assertThat(sre.getClaimAsStringList("roles")).containsExactly("SRE");
	}

	@Test
	void whenTheUserHasNoRoleThenTheTokenHasAnEmptyRoleList() throws Exception {
		Jwt token = decoder().decode(clientCredentials("nora", "test-secret").path("access_token").asString());
		assertThat(token.getSubject()).isEqualTo("nora");
		assertThat(token.getClaimAsStringList("roles")).isEmpty();
	}

	@Test
	void whenTheClientSecretIsWrongThenUnauthorized() throws Exception {
		assertThat(tokenRequest("olivia", "guess", Map.of("grant_type", "client_credentials")).statusCode())
			.isEqualTo(401);
	}

	@Test
	void whenABrowserSignsInWithPkceThenTheCodeBuysTheUsersToken() throws Exception {
		String verifier = random();
		String challenge = Base64.getUrlEncoder()
			.withoutPadding()
			.encodeToString(sha256(verifier.getBytes(StandardCharsets.US_ASCII)));
		String authorize = "/oauth2/authorize?" + form(
				Map.of("response_type", "code", "client_id", "switchboard-console", "redirect_uri", REDIRECT, "scope",
						"openid", "state", "s1", "code_challenge", challenge, "code_challenge_method", "S256"));

		HttpResponse<String> toLogin = this.http.send(
				HttpRequest.newBuilder(URI.create(ISSUER + authorize)).header("Accept", "text/html").build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(toLogin.statusCode()).isEqualTo(302);
		String loginPage = location(toLogin);
		assertThat(loginPage).endsWith("/login");
		HttpResponse<String> form = get(URI.create(loginPage).getPath());
		assertThat(form.statusCode()).isEqualTo(200);

		HttpResponse<String> signedIn = this.http.send(HttpRequest.newBuilder(URI.create(ISSUER + "/login"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers
				.ofString(form(Map.of("username", "mario", "password", "test-password", "_csrf", csrf(form.body())))))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(signedIn.statusCode()).isEqualTo(302);
		assertThat(location(signedIn)).contains("/oauth2/authorize");

		HttpResponse<String> withCode = this.http.send(
				HttpRequest.newBuilder(URI.create(absolute(location(signedIn)))).header("Accept", "text/html").build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(withCode.statusCode()).isEqualTo(302);
		URI callback = URI.create(location(withCode));
		assertThat(callback.toString()).startsWith(REDIRECT);
		Map<String, String> query = query(callback);
		assertThat(query).containsEntry("state", "s1").containsKey("code");

		HttpResponse<String> tokens = this.http.send(HttpRequest.newBuilder(URI.create(ISSUER + "/oauth2/token"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers
				.ofString(form(Map.of("grant_type", "authorization_code", "code", query.get("code"), "redirect_uri",
						REDIRECT, "client_id", "switchboard-console", "code_verifier", verifier))))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(tokens.statusCode()).as(tokens.body()).isEqualTo(200);
		Jwt token = decoder().decode(json(tokens).path("access_token").asString());
		assertThat(token.getSubject()).isEqualTo("mario");
		assertThat(token.getAudience()).containsExactly("switchboard");
		assertThat(token.getClaimAsString("tenant")).isEqualTo("demo");
		assertThat(token.getClaimAsStringList("roles")).containsExactly("AGENT");
		assertThat(json(tokens).path("id_token").isString()).isTrue();
	}

	@Test
	void whenTheConsoleAsksWithoutPkceThenNoCodeIsIssued() throws Exception {
		String authorize = "/oauth2/authorize?" + form(Map.of("response_type", "code", "client_id",
				"switchboard-console", "redirect_uri", REDIRECT, "scope", "openid", "state", "s2"));
		HttpResponse<String> response = this.http.send(
				HttpRequest.newBuilder(URI.create(ISSUER + authorize)).header("Accept", "text/html").build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isIn(302, 400);
		if (response.statusCode() == 302) {
			assertThat(query(URI.create(location(response)))).containsEntry("error", "invalid_request")
				.doesNotContainKey("code");
		}
	}

	private JsonNode clientCredentials(String client, String secret) throws IOException, InterruptedException {
		HttpResponse<String> response = tokenRequest(client, secret, Map.of("grant_type", "client_credentials"));
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return json(response);
	}

	private HttpResponse<String> tokenRequest(String client, String secret, Map<String, String> parameters)
			throws IOException, InterruptedException {
		String basic = Base64.getEncoder().encodeToString((client + ":" + secret).getBytes(StandardCharsets.UTF_8));
		return this.http.send(HttpRequest.newBuilder(URI.create(ISSUER + "/oauth2/token"))
			.header("Authorization", "Basic " + basic)
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(form(parameters)))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> get(String path) throws IOException, InterruptedException {
		return this.http.send(HttpRequest.newBuilder(URI.create(ISSUER + path)).build(),
				HttpResponse.BodyHandlers.ofString());
	}

	private static JwtDecoder decoder() {
		// Discovery, issuer check and the JWKS signature check, as a resource server
		// does.
		return JwtDecoders.fromIssuerLocation(ISSUER);
	}

	private static JsonNode json(HttpResponse<String> response) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return JSON.readTree(response.body());
	}

	private static String csrf(String html) {
		Matcher matcher = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"|value=\"([^\"]+)\"[^>]*name=\"_csrf\"")
			.matcher(html);
		assertThat(matcher.find()).as(html).isTrue();
		return (matcher.group(1) != null) ? matcher.group(1) : matcher.group(2);
	}

	private static String location(HttpResponse<?> response) {
		return response.headers().firstValue("Location").orElseThrow();
	}

	private static String absolute(String location) {
		return location.startsWith("http") ? location : ISSUER + location;
	}

	private static Map<String, String> query(URI uri) {
		Map<String, String> parameters = new LinkedHashMap<>();
		for (String pair : uri.getRawQuery().split("&")) {
			String[] parts = pair.split("=", 2);
			parameters.put(parts[0],
					(parts.length > 1) ? java.net.URLDecoder.decode(parts[1], StandardCharsets.UTF_8) : "");
		}
		return parameters;
	}

	private static String form(Map<String, String> parameters) {
		return parameters.entrySet()
			.stream()
			.map((entry) -> entry.getKey() + "=" + URLEncoder.encode(entry.getValue(), StandardCharsets.UTF_8))
			.collect(Collectors.joining("&"));
	}

	private static String random() {
		byte[] bytes = new byte[32];
		new SecureRandom().nextBytes(bytes);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

	private static byte[] sha256(byte[] data) throws NoSuchAlgorithmException {
		return MessageDigest.getInstance("SHA-256").digest(data);
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
