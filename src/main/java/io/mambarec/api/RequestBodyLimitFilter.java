package io.mambarec.api;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses request bodies over {@code mambarec.api.max-request-body} with 413 before anything parses
 * them: at once when {@code Content-Length} says so; a chunked body (no length) is first read as
 * bytes, up to the limit, and refused as soon as it passes it, so no JSON parser ever sees an
 * oversized body.
 */
final class RequestBodyLimitFilter extends OncePerRequestFilter {

    private final long maxBytes;

    RequestBodyLimitFilter(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long declared = request.getContentLengthLong();
        if (declared > maxBytes) {
            refuse(response);
            return;
        }
        if (declared >= 0 || request.getHeader("Transfer-Encoding") == null) {
            // Tomcat delivers no more than Content-Length bytes
            chain.doFilter(request, response);
            return;
        }
        byte[] body;
        try {
            body = new Counting(request.getInputStream(), maxBytes).readAllBytes();
        } catch (BodyTooLargeException e) {
            refuse(response);
            return;
        }
        chain.doFilter(new Buffered(request, body), response);
    }

    private void refuse(HttpServletResponse response) throws IOException {
        // the unread rest of the body makes the connection unusable: close it after the answer
        response.setHeader("Connection", "close");
        ProblemResponses.write(response, tooLarge(maxBytes));
    }

    static ProblemDetail tooLarge(long maxBytes) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(
                HttpStatus.CONTENT_TOO_LARGE, "The request body is larger than " + maxBytes + " bytes");
        problem.setProperty("maxBytes", maxBytes);
        return problem;
    }

    /** A body read past the limit. */
    private static final class BodyTooLargeException extends IOException {
        BodyTooLargeException(long maxBytes) {
            super("request body over " + maxBytes + " bytes");
        }
    }

    /** A chunked body already read (within the limit), served from memory. */
    private static final class Buffered extends HttpServletRequestWrapper {
        private final byte[] body;

        Buffered(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }

        @Override
        public ServletInputStream getInputStream() {
            java.io.ByteArrayInputStream in = new java.io.ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] buffer, int offset, int length) {
                    return in.read(buffer, offset, length);
                }

                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException("blocking reads only");
                }
            };
        }

        @Override
        public java.io.BufferedReader getReader() {
            return new java.io.BufferedReader(new java.io.InputStreamReader(
                    getInputStream(),
                    java.nio.charset.Charset.forName(
                            getCharacterEncoding() != null ? getCharacterEncoding() : "UTF-8")));
        }
    }

    private static final class Counting extends ServletInputStream {
        private final ServletInputStream in;
        private final long maxBytes;
        private long count;

        Counting(ServletInputStream in, long maxBytes) {
            this.in = in;
            this.maxBytes = maxBytes;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                counted(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = in.read(buffer, offset, length);
            if (n > 0) {
                counted(n);
            }
            return n;
        }

        private void counted(int n) throws BodyTooLargeException {
            count += n;
            if (count > maxBytes) {
                throw new BodyTooLargeException(maxBytes);
            }
        }

        @Override
        public boolean isFinished() {
            return in.isFinished();
        }

        @Override
        public boolean isReady() {
            return in.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            in.setReadListener(listener);
        }
    }
}
