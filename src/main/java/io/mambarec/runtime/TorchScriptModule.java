package io.mambarec.runtime;

import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.JniUtils;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * How the project calls PyTorch operators that DJL does not expose ({@link FusedAdam},
 * {@link SparseDenseProduct}): a TorchScript module without parameters, written out from its source
 * code as torch.jit.save would write it, and loaded once through DJL.
 */
final class TorchScriptModule {

    private TorchScriptModule() {}

    /**
     * Loads the module {@code __torch__.CLASS_NAME} whose source is {@code code}; its native handle
     * belongs to {@code manager}.
     */
    static PtSymbolBlock load(PtNDManager manager, String className, String code) {
        Path file = null;
        try {
            file = Files.createTempFile(className, ".pt");
            Files.write(file, archive(className, code));
            return JniUtils.loadModule(manager, file, false, new String[0], new String[0], false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the TorchScript module " + className, e);
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException ignored) {
                    // a temporary file
                }
            }
        }
    }

    /** The TorchScript archive: the module object (data.pkl), its code, no constants, format version 3. */
    static byte[] archive(String className, String code) throws IOException {
        String root = className.toLowerCase(java.util.Locale.ROOT);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            stored(zip, root + "/version", "3\n".getBytes(StandardCharsets.US_ASCII));
            stored(zip, root + "/data.pkl", modulePickle(className));
            stored(zip, root + "/constants.pkl", new byte[] {(byte) 0x80, 2, ')', '.'});
            stored(zip, root + "/code/__torch__.py", code.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }

    /**
     * Pickle protocol 2 of an instance of __torch__.CLASS_NAME whose only attribute is training = True,
     * as torch.jit.save writes a module object: GLOBAL, EMPTY_TUPLE, NEWOBJ, the attribute dict, BUILD.
     */
    private static byte[] modulePickle(String className) {
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.writeBytes(new byte[] {(byte) 0x80, 2}); // PROTO 2
        p.writeBytes(("c__torch__\n" + className + "\n").getBytes(StandardCharsets.US_ASCII)); // GLOBAL
        p.writeBytes(new byte[] {'q', 0, ')', (byte) 0x81, '}', 'q', 1, '('
        }); // BINPUT, EMPTY_TUPLE, NEWOBJ, EMPTY_DICT, BINPUT, MARK
        byte[] key = "training".getBytes(StandardCharsets.US_ASCII);
        p.writeBytes(new byte[] {'X', (byte) key.length, 0, 0, 0}); // BINUNICODE, little-endian length
        p.writeBytes(key);
        p.writeBytes(new byte[] {'q', 2, (byte) 0x88, 'u', 'b', '.'}); // BINPUT, NEWTRUE, SETITEMS, BUILD, STOP
        return p.toByteArray();
    }

    private static void stored(ZipOutputStream zip, String name, byte[] data) throws IOException {
        ZipEntry entry = new ZipEntry(name);
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(data.length);
        entry.setCompressedSize(data.length);
        CRC32 crc = new CRC32();
        crc.update(data);
        entry.setCrc(crc.getValue());
        zip.putNextEntry(entry);
        zip.write(data);
        zip.closeEntry();
    }
}
