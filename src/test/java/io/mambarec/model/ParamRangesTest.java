package io.mambarec.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every numeric parameter of every model has a range; values outside it are refused naming the key. */
class ParamRangesTest {

    @Test
    void everyNumericParameterHasARangeHoldingItsDefault() {
        for (String model : Models.names()) {
            for (ParamSpec spec : Models.get(model).params()) {
                if (spec.type() != ParamSpec.Type.BOOLEAN) {
                    assertThat(spec.range().contains(((Number) spec.defaultValue()).doubleValue()))
                            .as(model + " " + spec.key())
                            .isTrue();
                    assertThat(spec.range().describe())
                            .as(model + " " + spec.key())
                            .isNotBlank();
                }
            }
        }
    }

    @Test
    void boundsAreInclusiveOrExclusiveAsDeclared() {
        ModelDefinition mambarec = Models.get("mambarec");
        assertThat(mambarec.resolve(Map.of("learning_rate", "1")).getDouble("learning_rate"))
                .isEqualTo(1.0);
        assertThat(mambarec.resolve(Map.of("dropout", "0")).getDouble("dropout"))
                .isZero();
        assertThat(mambarec.resolve(Map.of("layers", "0", "knn_k", "1")).getInt("layers"))
                .isZero();
        assertThat(mambarec.resolve(Map.of("embedding_size", "1024")).getInt("embedding_size"))
                .isEqualTo(1024);
        Map<String, String> refused = Map.of(
                "learning_rate", "0",
                "dropout", "1",
                "layers", "-1",
                "item_layers", "9",
                "knn_k", "0",
                "mmd_bandwidth", "0",
                "cl_temperature", "-0.2",
                "mmd_weight", "-0.1",
                "max_epochs", "0",
                "steps_per_epoch", "-1");
        refused.forEach((key, value) -> assertThatThrownBy(() -> mambarec.resolve(Map.of(key, value)))
                .as(key + "=" + value)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("parameter " + key + " must be ")
                .hasMessageEndingWith(", not " + value));
    }

    @Test
    void rangesDescribeThemselves() {
        assertThat(ParamRanges.LEARNING_RATE.describe()).isEqualTo("> 0 and <= 1");
        assertThat(ParamRanges.BATCH_SIZE.describe()).isEqualTo("between 1 and 1,000,000");
        assertThat(ParamRanges.WEIGHT.describe()).isEqualTo(">= 0");
        assertThat(ParamRanges.DROPOUT.describe()).isEqualTo(">= 0 and < 1");
    }
}
