package io.durablejobs.infra.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything the app reads, loaded once: functions/functions.json, infra/topology.json, infra/platform.json.
 * Terraform reads the same three files (terraform/locals.tf).
 *
 * @param artifacts how function code is found: {@code auto} (the shaded jar if built, else the placeholder),
 *                  {@code required} (fail synth when a jar is missing; cdk.json sets this for deploys),
 *                  {@code placeholder} (always the placeholder; unit tests).
 */
public record DeploymentInputs(
        Path repoRoot,
        String stage,
        String artifacts,
        JsonNode platform,
        JsonNode stageSettings,
        TopologyModel topology,
        List<FunctionSpec> functions,
        List<FunctionSpec> deployFunctions,
        QueuePlan queuePlan) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public static DeploymentInputs load(Path repoRoot, Path functionsFile, String stage, String artifacts) {
        JsonNode platform = read(repoRoot.resolve("infra/platform.json"));
        JsonNode stageSettings = platform.path("stages").path(stage);
        if (stageSettings.isMissingNode()) {
            throw new IllegalArgumentException("unknown stage '" + stage + "'; infra/platform.json defines "
                    + platform.path("stages").properties().stream().map(e -> e.getKey()).toList());
        }
        if (!List.of("auto", "required", "placeholder").contains(artifacts)) {
            throw new IllegalArgumentException("context 'artifacts' must be auto, required or placeholder");
        }
        JsonNode functionsRoot = read(functionsFile);
        TopologyModel topology = TopologyModel.parse(read(repoRoot.resolve("infra/topology.json")));
        List<FunctionSpec> functions = FunctionTable.parse(functionsRoot);
        List<FunctionSpec> deploy = new ArrayList<>();
        for (JsonNode f : platform.path("deployFunctions")) {
            deploy.add(FunctionTable.row(f, functionsRoot.path("defaults")));
        }
        return new DeploymentInputs(repoRoot, stage, artifacts, platform, stageSettings, topology, functions,
                List.copyOf(deploy), QueuePlan.of(topology, functions));
    }

    /** The repository root: the given path, or the first ancestor of the working directory holding functions/functions.json. */
    public static Path findRepoRoot(String hint) {
        if (hint != null && !hint.isBlank()) {
            return Path.of(hint).toAbsolutePath().normalize();
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.exists(p.resolve("functions/functions.json")) && Files.exists(p.resolve("infra/topology.json"))) {
                return p;
            }
        }
        throw new IllegalStateException("cannot find the repository root (functions/functions.json); pass -c repoRoot=...");
    }

    public static JsonNode read(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    public String namespace() {
        return topology.namespace();
    }

    /** Prefix of every physical name (functions, alarms): one stack per namespace and stage per region. */
    public String prefix() {
        return namespace() + "-" + stage;
    }

    public String metricsNamespace() {
        return platform.path("metricsNamespace").asText("DurableJobs");
    }

    public boolean isProd() {
        return "prod".equals(stage);
    }
}
