package io.steward.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.steward.server.api.Endpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes manifests in docs/deploy hold together and match the server: probes on routes
 * that exist and need no token, only options the server knows, secrets that are defined,
 * selectors that select the Deployment's pods.
 */
class DeployFilesTest {
    static final Path DIR = Path.of("..", "docs", "deploy", "kubernetes");
    static final Map<String, JsonNode> BY_KIND = new HashMap<>();

    @BeforeAll
    static void read() throws IOException {
        var yaml = new ObjectMapper(new YAMLFactory());
        try (var files = Files.list(DIR)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                JsonNode doc = yaml.readTree(file.toFile());
                BY_KIND.put(doc.get("kind").asText(), doc);
            }
        }
        assertThat(BY_KIND)
                .containsOnlyKeys("Deployment", "Service", "HorizontalPodAutoscaler", "PodDisruptionBudget", "Secret");
    }

    static JsonNode container() {
        return BY_KIND.get("Deployment").at("/spec/template/spec/containers/0");
    }

    @Test
    void probesUseTheHealthRoutesThatNeedNoToken() {
        assertThat(container().at("/readinessProbe/httpGet/path").asText()).isEqualTo("/health/ready");
        assertThat(container().at("/livenessProbe/httpGet/path").asText()).isEqualTo("/health/live");
        for (String probe : new String[] {"readinessProbe", "livenessProbe", "startupProbe"}) {
            String path = container().at("/" + probe + "/httpGet/path").asText();
            assertThat(Endpoint.values())
                    .as(probe)
                    .anyMatch(r -> r.method().equals("GET")
                            && r.template().equals(path)
                            && r.permission().isPublic());
        }
    }

    @Test
    void everyVariableIsAnOptionOfTheServerAndEverySecretKeyIsDefined() {
        var options = Pattern.compile("(STEWARD_[A-Z_]+)")
                .matcher(ServerConfig.USAGE)
                .results()
                .map(m -> m.group(1))
                .toList();
        JsonNode secret = BY_KIND.get("Secret");
        for (JsonNode env : container().get("env")) {
            assertThat(options).contains(env.get("name").asText());
            JsonNode ref = env.at("/valueFrom/secretKeyRef");
            if (!ref.isMissingNode()) {
                assertThat(ref.get("name").asText())
                        .isEqualTo(secret.at("/metadata/name").asText());
                assertThat(secret.at("/stringData").has(ref.get("key").asText()))
                        .as("secret key %s", ref.get("key"))
                        .isTrue();
            }
        }
        // the container listens where the Service and the probes look
        assertThat(BY_KIND.get("Service").at("/spec/ports/0/targetPort").asText())
                .isEqualTo(container().at("/ports/0/name").asText());
    }

    @Test
    void theServiceTheBudgetAndTheAutoscalerAllPointAtTheDeployment() {
        JsonNode deployment = BY_KIND.get("Deployment");
        JsonNode labels = deployment.at("/spec/template/metadata/labels");
        assertThat(deployment.at("/spec/selector/matchLabels")).isEqualTo(labels);
        assertThat(BY_KIND.get("Service").at("/spec/selector")).isEqualTo(labels);
        assertThat(BY_KIND.get("PodDisruptionBudget").at("/spec/selector/matchLabels"))
                .isEqualTo(labels);
        JsonNode target = BY_KIND.get("HorizontalPodAutoscaler").at("/spec/scaleTargetRef");
        assertThat(target.get("kind").asText()).isEqualTo("Deployment");
        assertThat(target.get("name").asText())
                .isEqualTo(deployment.at("/metadata/name").asText());
        assertThat(BY_KIND.get("HorizontalPodAutoscaler")
                        .at("/spec/minReplicas")
                        .asInt())
                .as("a pod can go (an update, a drain) and one still serves")
                .isGreaterThanOrEqualTo(2);
        assertThat(StreamSupport.stream(container().get("env").spliterator(), false)
                        .anyMatch(e -> e.get("name").asText().equals("STEWARD_INSTANCE")))
                .as("each pod named after itself")
                .isTrue();
    }
}
