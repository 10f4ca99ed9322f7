package io.mambarec.cli;

import ai.djl.ndarray.NDManager;
import io.mambarec.data.Dataset;
import io.mambarec.data.Split;
import io.mambarec.evaluation.FullRankingEvaluator;
import io.mambarec.model.Embeddings;
import io.mambarec.model.ModelArtifact;
import io.mambarec.model.ModelManifest;
import io.mambarec.model.NoGrad;
import io.mambarec.model.Provenance;
import io.mambarec.model.RecommenderModel;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code evaluate --data DIR --model-dir OUTDIR}: re-evaluates a saved model on the dataset's splits. */
@Command(
        name = "evaluate",
        mixinStandardHelpOptions = true,
        description = "Re-evaluate a saved model (train --out) on the validation and test splits.")
public final class EvaluateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(
            names = "--data",
            required = true,
            paramLabel = "DIR",
            description = "dataset folder the model was trained on")
    Path data;

    @Option(
            names = "--model-dir",
            required = true,
            paramLabel = "OUTDIR",
            description = "folder written by train --out")
    Path modelDir;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        ModelArtifact artifact = read(modelDir);
        ModelManifest manifest = artifact.manifest();
        Dataset dataset = DatasetOption.load(data, out);
        if (!manifest.userIds().equals(dataset.userIds()) || !manifest.itemIds().equals(dataset.itemIds())) {
            throw new IllegalArgumentException("the model in " + modelDir + " was trained on '" + manifest.dataset()
                    + "' with " + manifest.userIds().size() + " users and "
                    + manifest.itemIds().size()
                    + " items; " + data + " has " + dataset.numUsers() + " users and " + dataset.numItems()
                    + " items with other ids");
        }
        out.printf("model %s trained on %s, %s%n", manifest.model(), manifest.dataset(), manifest.hyperparameters());
        if (manifest.provenance() != null) {
            Provenance provenance = manifest.provenance();
            out.printf(
                    "seed %d, code %s, training split sha256 %s%n",
                    provenance.seed(),
                    provenance.codeVersion(),
                    provenance.data().trainSha256());
        }
        Map<String, Map<String, Double>> rows = new LinkedHashMap<>();
        try (NoGrad noGrad = NoGrad.open();
                NDManager manager = NDManager.newBaseManager();
                RecommenderModel model = artifact.restore(manager)) {
            Embeddings embeddings = model.embeddings();
            rows.put("valid", FullRankingEvaluator.evaluate(embeddings, dataset, Split.VALID));
            rows.put("test", FullRankingEvaluator.evaluate(embeddings, dataset, Split.TEST));
        }
        MetricsTable.print(out, rows);
        return 0;
    }

    private static ModelArtifact read(Path dir) {
        try {
            return ModelArtifact.readFrom(dir);
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("cannot read the saved model in " + dir + ": " + e.getMessage(), e);
        }
    }
}
