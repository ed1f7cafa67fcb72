package dev.switchboard.local.deploy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * How the deployment parity test reads deploy/k8s: a container's environment as the
 * kubelet builds it, and the reading without kubectl against kubectl's own rendering.
 */
class KubernetesManifestsTests {

	private static final Path K8S = Repository.deploy().resolve("k8s");

	private static final KubernetesManifests OPERATOR = KubernetesManifests.of(List.of(
			secret("switchboard-db",
					Map.of("audit-app-username", "audit_app", "audit-app-password", "app", "audit-owner-username",
							"audit_owner", "audit-owner-password", "owner")),
			secret("switchboard-keys", Map.of("master-key", "k1", "audit-signing-key", "signing")),
			Map.of("apiVersion", "v1", "kind", "ConfigMap", "metadata", Map.of("name", "switchboard-audit-witness"),
					"data", Map.of("url", "https://witness.example.internal"))));

	@Test
	void whenKubectlIsInstalledThenTheReadingWithoutItGivesEveryContainerTheSameEnvironment() throws Exception {
		Path kubectl = Binaries.find("kubectl").orElse(null);
		Assumptions.assumeTrue(kubectl != null, "Skipped: kubectl is not on the PATH");
		KubernetesManifests rendered = KubernetesManifests.kustomize(kubectl, K8S).with(OPERATOR);
		KubernetesManifests read = KubernetesManifests.readKustomization(K8S).with(OPERATOR);
		assertThat(read.names("Deployment")).containsExactlyInAnyOrderElementsOf(rendered.names("Deployment"))
			.contains("audit-service");
		assertThat(read.get("ConfigMap", "switchboard-config").get("data"))
			.isEqualTo(rendered.get("ConfigMap", "switchboard-config").get("data"));
		assertThat(read.environment("audit-service")).isEqualTo(rendered.environment("audit-service"));
	}

	@Test
	void whenAContainerIsStartedThenEnvFromComesFirstAndEnvWinsAndAnOptionalKeyMayBeMissing() throws Exception {
		Map<String, String> audit = KubernetesManifests.readKustomization(K8S)
			.with(OPERATOR)
			.environment("audit-service");
		assertThat(audit).containsEntry("SWITCHBOARD_DB_USERNAME", "audit_app")
			.containsEntry("SPRING_FLYWAY_USER", "audit_owner")
			.containsEntry("SWITCHBOARD_AUDIT_SIGNING_KEY", "signing")
			.containsEntry("SWITCHBOARD_AUDIT_WITNESS_URL", "https://witness.example.internal")
			.containsEntry("SERVER_PORT", "8083")
			.containsKey("SPRING_KAFKA_BOOTSTRAP_SERVERS")
			// master-key-previous is optional and the Secret has none.
			.doesNotContainKey("SWITCHBOARD_MASTER_KEY_PREVIOUS");
	}

	@Test
	void whenASecretOrItsKeyIsMissingThenTheEnvironmentNamesItAsTheKubeletWould() throws Exception {
		KubernetesManifests withoutSecrets = KubernetesManifests.readKustomization(K8S);
		assertThatThrownBy(() -> withoutSecrets.environment("billing-service"))
			.hasMessageContaining("Secret switchboard-db");
		KubernetesManifests withoutKey = withoutSecrets
			.with(KubernetesManifests.of(List.of(secret("switchboard-db", Map.of("billing-username", "billing")))));
		assertThatThrownBy(() -> withoutKey.environment("billing-service")).hasMessageContaining("billing-password")
			.hasMessageContaining("SWITCHBOARD_DB_PASSWORD");
	}

	private static Map<String, Object> secret(String name, Map<String, String> values) {
		return Map.of("apiVersion", "v1", "kind", "Secret", "metadata", Map.of("name", name), "stringData", values);
	}

}
