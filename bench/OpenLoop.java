import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * An open-loop HTTP load generator: requests leave on a fixed schedule (request i is due at
 * start + i / rate), whatever the answers before it did, and each latency is measured from the
 * moment the request was due, not from when a connection was free to send it. A stalled server
 * therefore shows as the latency of every request that should have gone out meanwhile (no
 * coordinated omission, as in wrk2 or vegeta), and the rate is the stated one unless the server
 * cannot keep up (then the achieved rate says so). Latencies go to HdrHistogram (3 significant
 * digits, 1 us to 1 min).
 *
 * <p>Run it as a single-file program with HdrHistogram on the class path (bench/common.sh does):
 *
 * <pre>
 * java -cp HdrHistogram-2.2.2.jar bench/OpenLoop.java --base http://127.0.0.1:18080 \
 *      --path '/recommend/{user}?k=20' --users 9308 --rate 1000 --duration 60 [--warmup 10] \
 *      [--connections 32] [--label name]
 * </pre>
 *
 * <p>{@code {user}} in the path becomes a random user index 0..users-1 per request. Each of the
 * {@code connections} worker threads keeps one HTTP/1.1 keep-alive connection and takes the next
 * due request of the shared schedule; the connections bound the requests in flight, not the rate.
 * Prints one line {@code label rate achieved count errors p50 p90 p99 p99.9 max} (ms) and the
 * service-time percentiles (from the actual send, the figure a closed-loop tool reports).
 */
public final class OpenLoop {

    private static final long MAX_NANOS = 60_000_000_000L;

    public static void main(String[] args) throws Exception {
        String base = "http://127.0.0.1:8080";
        String path = "/";
        String label = "open-loop";
        int users = 1;
        double rate = 1000;
        int duration = 60;
        int warmup = 0;
        int connections = 32;
        for (int a = 0; a < args.length; a += 2) {
            String value = args[a + 1];
            switch (args[a]) {
                case "--base" -> base = value;
                case "--path" -> path = value;
                case "--label" -> label = value;
                case "--users" -> users = Integer.parseInt(value);
                case "--rate" -> rate = Double.parseDouble(value);
                case "--duration" -> duration = Integer.parseInt(value);
                case "--warmup" -> warmup = Integer.parseInt(value);
                case "--connections" -> connections = Integer.parseInt(value);
                default -> throw new IllegalArgumentException("unknown option " + args[a]);
            }
        }
        if (!base.startsWith("http://")) {
            throw new IllegalArgumentException("--base must be http://host:port");
        }
        String hostPort = base.substring("http://".length()).replaceAll("/.*", "");
        String host = hostPort.contains(":") ? hostPort.substring(0, hostPort.lastIndexOf(':')) : hostPort;
        int port = hostPort.contains(":") ? Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1)) : 80;
        Target target = new Target(new InetSocketAddress(host, port), hostPort, path, users);

        if (warmup > 0) {
            run(target, rate, warmup, connections);
        }
        Result r = run(target, rate, duration, connections);
        Histogram h = r.fromDue();
        Histogram s = r.fromSend();
        System.out.printf(
                Locale.ROOT,
                "%s rate %.0f/s achieved %.1f/s requests %d errors %d latency-ms p50 %.3f p90 %.3f p99 %.3f p99.9 %.3f max %.3f"
                        + " | service-time-ms p50 %.3f p99 %.3f p99.9 %.3f max %.3f%n",
                label,
                rate,
                r.achieved(),
                h.getTotalCount(),
                r.errors(),
                ms(h.getValueAtPercentile(50)),
                ms(h.getValueAtPercentile(90)),
                ms(h.getValueAtPercentile(99)),
                ms(h.getValueAtPercentile(99.9)),
                ms(h.getMaxValue()),
                ms(s.getValueAtPercentile(50)),
                ms(s.getValueAtPercentile(99)),
                ms(s.getValueAtPercentile(99.9)),
                ms(s.getMaxValue()));
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private record Target(InetSocketAddress address, String hostHeader, String path, int users) {

        byte[] request() {
            String p = path.replace(
                    "{user}", Integer.toString(ThreadLocalRandom.current().nextInt(users)));
            return ("GET " + p + " HTTP/1.1\r\nHost: " + hostHeader + "\r\nAccept: application/json\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
        }
    }

    private record Result(Histogram fromDue, Histogram fromSend, long errors, double achieved) {}

    private static Result run(Target target, double rate, int seconds, int connections) throws InterruptedException {
        long period = Math.round(1e9 / rate);
        long total = (long) (rate * seconds);
        AtomicLong next = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        long start = System.nanoTime() + 50_000_000L;
        List<Worker> workers = new ArrayList<>();
        for (int w = 0; w < connections; w++) {
            Worker worker = new Worker(target, start, period, total, next, errors);
            worker.setDaemon(true);
            workers.add(worker);
            worker.start();
        }
        Histogram fromDue = new Histogram(MAX_NANOS, 3);
        Histogram fromSend = new Histogram(MAX_NANOS, 3);
        long lastDone = start;
        for (Worker worker : workers) {
            worker.join();
            fromDue.add(worker.fromDue);
            fromSend.add(worker.fromSend);
            lastDone = Math.max(lastDone, worker.lastDone);
        }
        double achieved = fromDue.getTotalCount() / ((lastDone - start) / 1e9);
        return new Result(fromDue, fromSend, errors.get(), achieved);
    }

    private static final class Worker extends Thread {

        private final Target target;
        private final long start;
        private final long period;
        private final long total;
        private final AtomicLong next;
        private final AtomicLong errors;
        final Histogram fromDue = new Histogram(MAX_NANOS, 3);
        final Histogram fromSend = new Histogram(MAX_NANOS, 3);
        long lastDone;
        private Socket socket;
        private InputStream in;
        private OutputStream out;

        Worker(Target target, long start, long period, long total, AtomicLong next, AtomicLong errors) {
            this.target = target;
            this.start = start;
            this.period = period;
            this.total = total;
            this.next = next;
            this.errors = errors;
        }

        @Override
        public void run() {
            try {
                for (long i = next.getAndIncrement(); i < total; i = next.getAndIncrement()) {
                    long due = start + i * period;
                    for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                        LockSupport.parkNanos(wait);
                    }
                    byte[] request = target.request();
                    long sent = System.nanoTime();
                    boolean ok;
                    try {
                        ok = exchange(request);
                    } catch (IOException e) {
                        ok = false;
                        close();
                    }
                    long done = System.nanoTime();
                    lastDone = done;
                    if (!ok) {
                        errors.incrementAndGet();
                    }
                    fromDue.recordValue(Math.min(MAX_NANOS, done - due));
                    fromSend.recordValue(Math.min(MAX_NANOS, done - sent));
                }
            } finally {
                close();
            }
        }

        /** One request on the kept connection (opened on first use or after an error); true for a 2xx. */
        private boolean exchange(byte[] request) throws IOException {
            if (socket == null) {
                socket = new Socket();
                socket.setTcpNoDelay(true);
                socket.connect(target.address(), 5_000);
                socket.setSoTimeout(60_000);
                in = new BufferedInputStream(socket.getInputStream(), 16_384);
                out = socket.getOutputStream();
            }
            out.write(request);
            out.flush();
            String status = line();
            if (status == null) {
                throw new IOException("connection closed");
            }
            long length = -1;
            boolean chunked = false;
            boolean closeAfter = false;
            for (String header = line(); header != null && !header.isEmpty(); header = line()) {
                String lower = header.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                    length = Long.parseLong(lower.substring(15).trim());
                } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                    chunked = true;
                } else if (lower.startsWith("connection:") && lower.contains("close")) {
                    closeAfter = true;
                }
            }
            if (chunked) {
                for (long size = Long.parseLong(line().trim().split(";")[0], 16);
                        size > 0;
                        size = Long.parseLong(line().trim().split(";")[0], 16)) {
                    skip(size);
                    line();
                }
                while (!line().isEmpty()) {
                    // trailers
                }
            } else if (length > 0) {
                skip(length);
            }
            if (closeAfter) {
                close();
            }
            return status.length() >= 12 && status.charAt(9) == '2';
        }

        private String line() throws IOException {
            StringBuilder b = new StringBuilder(64);
            for (int c = in.read(); c != '\n'; c = in.read()) {
                if (c < 0) {
                    return b.isEmpty() ? null : b.toString();
                }
                if (c != '\r') {
                    b.append((char) c);
                }
            }
            return b.toString();
        }

        private void skip(long n) throws IOException {
            while (n > 0) {
                long skipped = in.skip(n);
                if (skipped <= 0) {
                    if (in.read() < 0) {
                        throw new IOException("connection closed in a body");
                    }
                    skipped = 1;
                }
                n -= skipped;
            }
        }

        private void close() {
            try {
                if (socket != null) {
                    socket.close();
                }
            } catch (IOException ignored) {
                // closing anyway
            }
            socket = null;
        }
    }
}
