package io.mambarec.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.jna.Native;
import org.junit.jupiter.api.Test;

/** The huge-page switch reaches the process environment that PyTorch's allocator reads. */
class NativeMemoryTest {

    @Test
    void setsThePyTorchVariableInTheProcessEnvironmentUnlessTheOperatorDid() {
        String operatorValue = System.getenv(NativeMemory.THP_VARIABLE);
        boolean enabled = NativeMemory.enableHugePages();
        String nativeValue = Native.load("c", NativeMemory.CLibrary.class).getenv(NativeMemory.THP_VARIABLE);
        if (operatorValue == null) {
            assertThat(nativeValue).isEqualTo("1");
            assertThat(enabled).isTrue();
        } else {
            assertThat(nativeValue).isEqualTo(operatorValue);
            assertThat(enabled).isEqualTo("1".equals(operatorValue));
        }
        // a second call changes nothing
        assertThat(NativeMemory.enableHugePages()).isEqualTo(enabled);
    }
}
