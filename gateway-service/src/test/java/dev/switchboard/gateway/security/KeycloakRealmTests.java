package dev.switchboard.gateway.security;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.switchboard.events.Role;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The realm that compose imports into Keycloak emits what the gateway reads: the tenant
 * and roles claims and the audience of its defaults, and the user's name in the subject
 * claim compose and Kubernetes configure (Keycloak's own {@code sub} is a UUID), for the
 * console's users and for every script client's service account.
 */
class KeycloakRealmTests {

	private static final JsonNode REALM = JsonMapper.builder()
		.build()
		.readTree(read(Path.of("").toAbsolutePath().getParent().resolve("deploy/keycloak/switchboard-realm.json")));

	private static final SecurityProperties.Jwt DEFAULTS = new Binder(new MapConfigurationPropertySource(Map.of()))
		.bindOrCreate("switchboard.security", SecurityProperties.class)
		.jwt();

	@Test
	void whenTheGatewayReadsItsDefaultClaimsThenTheRealmsMappersEmitThemIntoAccessTokens() {
		assertThat(REALM.path("realm").asString()).isEqualTo("switchboard");
		JsonNode tenant = mapper("oidc-usermodel-attribute-mapper", "tenant");
		assertThat(tenant.path("config").path("user.attribute").asString()).isEqualTo("tenant");
		assertThat(tenant.path("config").path("claim.name").asString()).isEqualTo(DEFAULTS.tenantClaim());
		JsonNode roles = mapper("oidc-usermodel-realm-role-mapper", "roles");
		assertThat(roles.path("config").path("claim.name").asString()).isEqualTo(DEFAULTS.rolesClaim());
		assertThat(roles.path("config").path("multivalued").asString()).isEqualTo("true");
		JsonNode audience = mapper("oidc-audience-mapper", "audience");
		assertThat(audience.path("config").path("included.custom.audience").asString()).isEqualTo(DEFAULTS.audience());
		mapper("oidc-sub-mapper", "subject");
		JsonNode user = mapper("oidc-usermodel-attribute-mapper", "switchboard user");
		assertThat(user.path("config").path("user.attribute").asString()).isEqualTo("switchboard_user");
		assertThat(user.path("config").path("claim.name").asString()).isEqualTo(subjectClaimOfTheDeployments());
	}

	@Test
	void whenAUserOrServiceAccountIsDefinedThenItsSwitchboardUserIsTheNameItSignsInWith() {
		for (JsonNode user : REALM.path("users")) {
			String name = user.has("serviceAccountClientId") ? user.path("serviceAccountClientId").asString()
					: user.path("username").asString();
			assertThat(user.path("attributes").path("switchboard_user").get(0).asString()).as(name).isEqualTo(name);
		}
		assertThat(REALM.path("components").toString()).as("declared in the user profile").contains("switchboard_user");
	}

	/**
	 * The subject claim docker-compose.yml and deploy/k8s give the gateway (the same).
	 */
	private static String subjectClaimOfTheDeployments() {
		Path root = Path.of("").toAbsolutePath().getParent();
		Matcher compose = Pattern.compile("SWITCHBOARD_SECURITY_JWT_SUBJECT_CLAIM: (\\S+)")
			.matcher(read(root.resolve("docker-compose.yml")));
		Matcher kubernetes = Pattern.compile("OIDC_SUBJECT_CLAIM: (\\S+)")
			.matcher(read(root.resolve("deploy/k8s/switchboard-config.yaml")));
		assertThat(compose.find()).as("compose sets the gateway's subject claim").isTrue();
		assertThat(kubernetes.find()).as("Kubernetes sets the gateway's subject claim").isTrue();
		assertThat(kubernetes.group(1)).isEqualTo(compose.group(1));
		return compose.group(1);
	}

	@Test
	void whenAClientIsDefinedThenItGetsTheSwitchboardScope() {
		assertThat(REALM.path("defaultDefaultClientScopes").toString()).contains("\"switchboard\"");
		for (JsonNode client : REALM.path("clients")) {
			assertThat(client.path("defaultClientScopes").toString()).as(client.path("clientId").asString())
				.contains("\"switchboard\"");
		}
	}

	@Test
	void whenABrowserSignsInThenTheConsoleIsPublicWithPkce() {
		JsonNode console = client("switchboard-console");
		assertThat(console.path("publicClient").asBoolean()).isTrue();
		assertThat(console.path("standardFlowEnabled").asBoolean()).isTrue();
		assertThat(console.path("implicitFlowEnabled").asBoolean()).isFalse();
		assertThat(console.path("directAccessGrantsEnabled").asBoolean()).isFalse();
		assertThat(console.path("attributes").path("pkce.code.challenge.method").asString()).isEqualTo("S256");
		assertThat(console.path("redirectUris").toString())
			.contains("http://127.0.0.1:8080/login/oauth2/code/switchboard");
	}

	@Test
	void whenADemoUserRunsScriptsThenTheirConfidentialClientsServiceAccountHasTheirTenantAndRoles() {
		List<String> users = new ArrayList<>();
		for (JsonNode user : REALM.path("users")) {
			if (user.has("serviceAccountClientId")) {
				continue;
			}
			String name = user.path("username").asString();
			users.add(name);
			assertThat(user.path("attributes").path("tenant").get(0).asString()).as(name).isNotBlank();
			for (JsonNode credential : user.path("credentials")) {
				// No password that outlives its first use.
				assertThat(credential.path("temporary").asBoolean()).as(name).isTrue();
			}
			JsonNode client = client(name);
			assertThat(client.path("publicClient").asBoolean()).isFalse();
			assertThat(client.path("serviceAccountsEnabled").asBoolean()).isTrue();
			assertThat(client.has("secret")).as("no secret ships for " + name).isFalse();
			JsonNode account = serviceAccount(name);
			assertThat(account.path("attributes").path("tenant")).isEqualTo(user.path("attributes").path("tenant"));
			assertThat(account.path("realmRoles")).isEqualTo(user.path("realmRoles"));
		}
		assertThat(users).contains("olivia", "adam", "mario", "lucia", "fiona", "sam", "oscar", "nora");
	}

	@Test
	@SuppressWarnings("unchecked")
	void whenTheLocalProviderHasADemoUserThenTheRealmHasThemWithTheSameTenantAndRoles() throws Exception {
		Map<String, Object> local;
		try (java.io.Reader reader = Files.newBufferedReader(Path.of("")
			.toAbsolutePath()
			.getParent()
			.resolve("identity-provider/src/main/resources/application.yml"))) {
			local = new org.yaml.snakeyaml.Yaml().load(reader);
		}
		Map<String, Map<String, Object>> users = (Map<String, Map<String, Object>>) ((Map<String, Object>) ((Map<String, Object>) local
			.get("switchboard")).get("identity")).get("users");
		assertThat(users).isNotEmpty();
		users.forEach((name, settings) -> {
			JsonNode user = user(name);
			assertThat(user.path("attributes").path("tenant").get(0).asString()).as(name)
				.isEqualTo(settings.get("tenant"));
			List<String> roles = new ArrayList<>();
			user.path("realmRoles").forEach((role) -> roles.add(role.asString()));
			Object expected = settings.get("roles");
			assertThat(roles).as(name)
				.containsExactlyInAnyOrderElementsOf((expected == null || expected.toString().isBlank()) ? List.of()
						: List.of(expected.toString().split(",")));
		});
	}

	@Test
	void whenARoleIsGrantedThenTheRealmDefinesItAndThePlatformKnowsIt() {
		List<String> defined = StreamSupport.stream(REALM.path("roles").path("realm").spliterator(), false)
			.map((role) -> role.path("name").asString())
			.toList();
		assertThat(defined).containsAll(List.of(Role.values()).stream().map(Role::name).toList());
		for (JsonNode user : REALM.path("users")) {
			for (JsonNode role : user.path("realmRoles")) {
				assertThat(defined).contains(role.asString());
			}
		}
	}

	@Test
	void whenKeycloakStoresTheTenantAttributeThenItsUserProfileDeclaresIt() {
		String profile = REALM.path("components")
			.path("org.keycloak.userprofile.UserProfileProvider")
			.get(0)
			.path("config")
			.path("kc.user.profile.config")
			.get(0)
			.asString();
		JsonNode attributes = JsonMapper.builder().build().readTree(profile).path("attributes");
		assertThat(attributes.toString()).contains("\"name\":\"tenant\"");
	}

	private static JsonNode mapper(String type, String name) {
		for (JsonNode scope : REALM.path("clientScopes")) {
			if (!scope.path("name").asString().equals("switchboard")) {
				continue;
			}
			for (JsonNode mapper : scope.path("protocolMappers")) {
				if (mapper.path("protocolMapper").asString().equals(type)
						&& mapper.path("name").asString().equals(name)) {
					assertThat(mapper.path("config").path("access.token.claim").asString()).isEqualTo("true");
					return mapper;
				}
			}
		}
		throw new AssertionError("No " + type + " mapper '" + name + "' in the switchboard client scope");
	}

	private static JsonNode client(String clientId) {
		for (JsonNode client : REALM.path("clients")) {
			if (client.path("clientId").asString().equals(clientId)) {
				return client;
			}
		}
		throw new AssertionError("No client " + clientId);
	}

	private static JsonNode user(String username) {
		for (JsonNode user : REALM.path("users")) {
			if (user.path("username").asString().equals(username)) {
				return user;
			}
		}
		throw new AssertionError("No user " + username);
	}

	private static JsonNode serviceAccount(String clientId) {
		for (JsonNode user : REALM.path("users")) {
			if (user.path("serviceAccountClientId").asString().equals(clientId)) {
				return user;
			}
		}
		throw new AssertionError("No service account user for " + clientId);
	}

	private static String read(Path path) {
		try {
			return Files.readString(path);
		}
		catch (java.io.IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
