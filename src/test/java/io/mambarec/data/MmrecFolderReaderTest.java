package io.mambarec.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MmrecFolderReaderTest {

    private static final String HEADER = "userID\titemID\trating\ttimestamp\tx_label\n";
    /** Users 0..2, items 0..3; user 3 appears only in test (cold) and is dropped. */
    private static final String INTER = HEADER
            + "0\t0\t1\t0\t0\n0\t1\t1\t0\t0\n1\t2\t1\t0\t0\n2\t3\t1\t0\t0\n"
            + "0\t2\t1\t0\t1\n1\t3\t1\t0\t2\n3\t1\t1\t0\t2\n";

    @TempDir
    Path tmp;

    private Path folder(String inter) throws IOException {
        Path dir = tmp.resolve("toy");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("toy.inter"), inter);
        return dir;
    }

    static void writeNpy(Path file, String descr, int rows, int cols, byte[] data) {
        SyntheticData.writeNpy(file, descr, rows, cols, data);
    }

    static void writeFloat32(Path file, int rows, int cols, float... values) {
        SyntheticData.writeFloat32Npy(file, rows, cols, values);
    }

    @Test
    void readsInteractionsFeaturesInSlotOrderAndDropsColdUsers() throws IOException {
        Path dir = folder(INTER);
        writeFloat32(dir.resolve("audio_feat.npy"), 4, 1, 1, 2, 3, 4);
        writeFloat32(dir.resolve("text_feat.npy"), 4, 2, 1, 2, 3, 4, 5, 6, 7, 8);
        ByteBuffer f64 = ByteBuffer.allocate(4 * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : new double[] {0.5, 1.5, 2.5, 3.5}) {
            f64.putDouble(v);
        }
        writeNpy(dir.resolve("image_feat.npy"), "<f8", 4, 1, f64.array());

        Dataset data = MmrecFolderReader.read(dir);

        assertThat(data.name()).isEqualTo("toy");
        // MMRec: max id + 1 over the whole file (user 3 counts although it is dropped from test)
        assertThat(data.numUsers()).isEqualTo(4);
        assertThat(data.numItems()).isEqualTo(4);
        assertThat(data.userIds()).containsExactly("0", "1", "2", "3");
        assertThat(data.train().size()).isEqualTo(4);
        assertThat(data.valid().users()).containsExactly(0);
        assertThat(data.test().users()).containsExactly(1);
        assertThat(data.test().items()).containsExactly(3);
        assertThat(data.features().keySet()).containsExactly("image", "text", "audio");
        assertThat(data.features().get("image").values()).containsExactly(0.5f, 1.5f, 2.5f, 3.5f);
        assertThat(data.features().get("text").row(1)).containsExactly(3f, 4f);
    }

    @Test
    void convertsFloat16Features() throws IOException {
        Path dir = folder(INTER);
        ByteBuffer f16 = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        for (short half : new short[] {0x3C00, 0x4000, (short) 0xB800, 0x0000}) { // 1, 2, -0.5, 0
            f16.putShort(half);
        }
        writeNpy(dir.resolve("image_feat.npy"), "<f2", 4, 1, f16.array());
        assertThat(MmrecFolderReader.read(dir).features().get("image").values()).containsExactly(1f, 2f, -0.5f, 0f);
    }

    @Test
    void missingFolder() {
        assertThatThrownBy(() -> MmrecFolderReader.read(tmp.resolve("nope")))
                .isInstanceOf(InvalidDatasetException.class)
                .hasMessageContaining("does not exist");
    }

    @Test
    void missingInteractionFile() throws IOException {
        Files.createDirectories(tmp.resolve("empty"));
        assertThatThrownBy(() -> MmrecFolderReader.read(tmp.resolve("empty")))
                .isInstanceOf(InvalidDatasetException.class)
                .hasMessageContaining("no interaction file empty.inter");
    }

    @Test
    void badHeader() throws IOException {
        Path dir = folder("user\titemID\tx_label\n0\t0\t0\n");
        assertThatThrownBy(() -> MmrecFolderReader.read(dir))
                .isInstanceOf(InvalidDatasetException.class)
                .hasMessageContaining("bad header")
                .hasMessageContaining("userID");
    }

    @Test
    void emptyFile() throws IOException {
        Path dir = folder("");
        assertThatThrownBy(() -> MmrecFolderReader.read(dir))
                .isInstanceOf(InvalidDatasetException.class)
                .hasMessageContaining("header");
    }

    @Test
    void labelOtherThan012() throws IOException {
        Path dir = folder(HEADER + "0\t0\t1\t0\t0\n0\t1\t1\t0\t3\n");
        assertThatThrownBy(() -> MmrecFolderReader.read(dir))
                .isInstanceOf(InvalidDatasetException.class)
                .hasMessageContaining("line 3")
                .hasMessageContaining("x_label '3'");
    }

    @Test
    void negativeId() throws IOException {
        Path dir = folder(HEADER + "0\t-1\t1\t0\t0\n");
        assertThatThrownBy(() -> MmrecFolderReader.read(dir))
                .isInstanceOf(InvalidDatasetException.class)
                .hasMessageContaining("itemID -1 is out of range");
    }

    @Test
    void idTooLarge() throws IOException {
        Path dir = folder(HEADER + "99999999999\t0\t1\t0\t0\n");
        assertThatThrownBy(() -> MmrecFolderReader.read(dir))
                .isInstanceOf(InvalidDatasetException.class)
                .hasMessageContaining("userID 99999999999 is out of range");
    }

    @Test
    void nonNumericId() throws IOException {
        Path dir = folder(HEADER + "alice\t0\t1\t0\t0\n");
        assertThatThrownBy(() -> MmrecFolderReader.read(dir))
                .isInstanceOf(InvalidDatasetException.class)
                .hasMessageContaining("userID 'alice' is not an integer");
    }

    @Test
    void wrongFieldCount() throws IOException {
        Path dir = folder(HEADER + "0\t0\t0\n");
        assertThatThrownBy(() -> MmrecFolderReader.read(dir))
                .isInstanceOf(InvalidDatasetException.class)
                .hasMessageContaining("3 fields where the header has 5");
    }

    @Test
    void featureRowsDifferFromItemCount() throws IOException {
        Path dir = folder(INTER);
        writeFloat32(dir.resolve("image_feat.npy"), 3, 1, 1, 2, 3);
        assertThatThrownBy(() -> MmrecFolderReader.read(dir))
                .isInstanceOf(InvalidDatasetException.class)
                .hasMessageContaining("3 feature rows")
                .hasMessageContaining("4 items");
    }

    @Test
    void nanInFeatures() throws IOException {
        Path dir = folder(INTER);
        writeFloat32(dir.resolve("image_feat.npy"), 4, 1, 1, Float.NaN, 3, 4);
        assertThatThrownBy(() -> MmrecFolderReader.read(dir))
                .isInstanceOf(InvalidDatasetException.class)
                .hasMessageContaining("item 1 has a non-finite feature");
    }

    @Test
    void infinityInFeatures() throws IOException {
        Path dir = folder(INTER);
        writeFloat32(dir.resolve("text_feat.npy"), 4, 1, 1, 2, 3, Float.POSITIVE_INFINITY);
        assertThatThrownBy(() -> MmrecFolderReader.read(dir))
                .isInstanceOf(InvalidDatasetException.class)
                .hasMessageContaining("item 3 has a non-finite feature");
    }

    @Test
    void unreadableNpy() throws IOException {
        Path dir = folder(INTER);
        Files.writeString(dir.resolve("image_feat.npy"), "not a numpy file at all");
        assertThatThrownBy(() -> MmrecFolderReader.read(dir))
                .isInstanceOf(InvalidDatasetException.class)
                .hasMessageContaining("not a readable .npy");
    }

    @Test
    void emptyTrainSplit() throws IOException {
        Path dir = folder(HEADER + "0\t0\t1\t0\t1\n0\t1\t1\t0\t2\n");
        assertThatThrownBy(() -> MmrecFolderReader.read(dir))
                .isInstanceOf(InvalidDatasetException.class)
                .hasMessageContaining("no training interaction");
    }
}
