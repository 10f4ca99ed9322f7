package io.mambarec.model;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

/**
 * A scope with PyTorch's autograd off (evaluation, serving embeddings, the trainer outside its
 * gradient collectors), restoring the previous mode when closed. Opening it loads the PyTorch
 * engine first: a JNI call made before the engine has loaded its native library fails with an
 * {@link UnsatisfiedLinkError} (the crash of a process that serves a stored model without having
 * trained in the same JVM).
 */
public final class NoGrad implements AutoCloseable {

    private final boolean previous;

    private NoGrad() {
        Engine.getEngine("PyTorch");
        previous = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
    }

    public static NoGrad open() {
        return new NoGrad();
    }

    @Override
    public void close() {
        JniUtils.setGradMode(previous);
    }
}
