package io.mambarec.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Every {@code mambarec.*} setting, its default and its valid range, in one tree. Spring binds it
 * once at start-up and validates it: a bad value stops the start with the property's name, its value
 * and the rule it breaks. {@code docs/configuration.md} documents each property
 * ({@code ConfigurationDocumentationTest} keeps the two in step).
 *
 * <p>{@code mambarec.role} is also read before any bean exists ({@code role.Role#of}), to choose
 * which packages a process scans.
 *
 * @param role what this process does: standalone (serves and trains), server (REST API only) or trainer
 * @param replicaId the name this process writes into the jobs it runs; empty: the host name
 */
@ConfigurationProperties("mambarec")
@Validated
public record MambaRecProperties(
        @DefaultValue("standalone")
        @Pattern(regexp = "(?i)\\s*(standalone|server|trainer)\\s*", message = "must be standalone, server or trainer")
        String role,

        @DefaultValue("") String replicaId,
        @DefaultValue @Valid Api api,
        @DefaultValue @Valid Security security,
        @DefaultValue @Valid Training training,
        @DefaultValue @Valid Text text,
        @DefaultValue @Valid Events events,
        @DefaultValue @Valid Serving serving,
        @DefaultValue @Valid Registry registry,
        @DefaultValue @Valid Jobs jobs,
        @DefaultValue @Valid Retrain retrain,
        @DefaultValue @Valid Bootstrap bootstrap,
        @DefaultValue @Valid EmbeddedPostgres embeddedPostgres) {

    /** The tree with every default, as a process without any {@code mambarec.*} setting sees it. */
    public static MambaRecProperties defaults() {
        return new Binder().bindOrCreate("mambarec", Bindable.of(MambaRecProperties.class));
    }

    /** @param maxRequestBody request bodies above this size are refused with 413 before they are read */
    public record Api(@DefaultValue("16MB") @NotNull DataSize maxRequestBody) {}

    /**
     * API keys; blank means not configured.
     *
     * @param adminApiKey the key of the admin endpoints (items, retraining, activation); empty: they answer 403
     * @param clientApiKeys comma-separated keys of the client endpoints; empty: they are open
     */
    public record Security(
            @DefaultValue("") String adminApiKey,
            @DefaultValue("") String clientApiKeys) {

        public boolean adminKeyConfigured() {
            return adminApiKey != null && !adminApiKey.isBlank();
        }

        public List<String> clientKeys() {
            return clientApiKeys == null
                    ? List.of()
                    : Arrays.stream(clientApiKeys.split(","))
                            .map(String::trim)
                            .filter(k -> !k.isEmpty())
                            .toList();
        }
    }

    /** @param threads PyTorch intra-op threads (inter-op: 1); 0: every CPU this process may use */
    public record Training(
            @DefaultValue("0") @PositiveOrZero int threads) {}

    /** @param threads ONNX Runtime threads of the text encoder */
    public record Text(@DefaultValue("1") @Min(1) int threads) {}

    /** @param weight how much an event of each type counts as a training positive (0 to 1) */
    public record Events(@DefaultValue @Valid Weight weight) {

        /**
         * The probability that a (user, item) pair with an event of this type trains in an epoch.
         *
         * @param view weight of a view
         * @param cart weight of an add-to-cart
         * @param purchase weight of a purchase
         * @param like weight of a like
         */
        public record Weight(
                @DefaultValue("0.25") @DecimalMin("0") @DecimalMax("1")
                double view,

                @DefaultValue("0.5") @DecimalMin("0") @DecimalMax("1")
                double cart,

                @DefaultValue("1") @DecimalMin("0") @DecimalMax("1")
                double purchase,

                @DefaultValue("1") @DecimalMin("0") @DecimalMax("1")
                double like) {}
    }

    /**
     * @param cataloguePollInterval how often a replica checks the catalogue for items written through other replicas
     * @param popularRefreshInterval how often the popularity ranking is recomputed
     * @param freshShare share of a popular list reserved for the newest items (at least one slot when above 0)
     * @param seenItemsCache the per-replica cache of each user's seen items
     * @param candidateLists each known user's precomputed ranking prefix for unfiltered model requests
     */
    public record Serving(
            @DefaultValue("5s") @NotNull @DurationMin(millis = 1)
            Duration cataloguePollInterval,

            @DefaultValue("10s") @NotNull @DurationMin(millis = 1)
            Duration popularRefreshInterval,

            @DefaultValue("0.1") @DecimalMin("0") @DecimalMax("1")
            double freshShare,

            @DefaultValue @Valid SeenItemsCache seenItemsCache,

            @DefaultValue @Valid CandidateLists candidateLists) {

        /**
         * Kept exact across replicas by PostgreSQL LISTEN/NOTIFY; bypassed while that connection is down.
         *
         * @param enabled whether each replica caches its users' seen items
         * @param maxItems bound on the cached item ids (8 bytes each)
         */
        public record SeenItemsCache(
                @DefaultValue("true") boolean enabled,
                @DefaultValue("5000000") @PositiveOrZero long maxItems) {}

        /**
         * Built in the background for each served model version; a request that cannot be answered
         * exactly from its user's list scans every item.
         *
         * @param size unseen items per user (plus the user's seen items that rank among them); 0 turns the lists off
         */
        public record CandidateLists(
                @DefaultValue("100") @Min(0) @Max(10000) int size) {}
    }

    /**
     * @param pollInterval how often a serving process checks which model version is active
     * @param loadRetryInterval how long before a version that failed to load is tried again
     * @param keepVersions how many versions besides the active one are kept; 0 keeps every version
     * @param retentionInterval how often older versions are deleted
     */
    public record Registry(
            @DefaultValue("2s") @NotNull @DurationMin(millis = 1)
            Duration pollInterval,

            @DefaultValue("30s") @NotNull @DurationMin(millis = 1)
            Duration loadRetryInterval,

            @DefaultValue("10") @PositiveOrZero int keepVersions,

            @DefaultValue("1h") @NotNull @DurationMin(millis = 1)
            Duration retentionInterval) {}

    /**
     * @param pollInterval how often a trainer looks for queued jobs (and for jobs whose trainer died)
     * @param lease a running job's lease, extended by its trainer's heartbeat every third of it
     * @param maxAttempts a job claimed this many times without finishing ends FAILED
     * @param shutdownPatience on shutdown, how long a trainer waits for the running job to stop at a batch
     */
    public record Jobs(
            @DefaultValue("2s") @NotNull @DurationMin(millis = 1)
            Duration pollInterval,

            @DefaultValue("30s") @NotNull @DurationMin(seconds = 1)
            Duration lease,

            @DefaultValue("3") @Min(1) int maxAttempts,

            @DefaultValue("60s") @NotNull @DurationMin(millis = 0)
            Duration shutdownPatience) {}

    /**
     * @param schedule cron expression (six fields) on which trainers queue a job; empty: no schedule
     * @param defaultModel the model a job trains when its request names none
     * @param seed the random seed of every retraining job
     * @param onEmptyRegistry queue a first training job when a serving process starts with an empty registry
     * @param gate the quality gate a candidate passes before it is activated
     * @param auto the search of an {@code auto} job (MambaRec tuned within a time budget)
     */
    public record Retrain(
            @DefaultValue("") @CronExpression String schedule,
            @DefaultValue("auto") @NotBlank String defaultModel,
            @DefaultValue("42") long seed,
            @DefaultValue("true") boolean onEmptyRegistry,
            @DefaultValue @Valid Gate gate,
            @DefaultValue @Valid Auto auto) {

        /**
         * Hyperband's brackets of successive halving within a wall-clock budget ({@code BracketSchedule}).
         *
         * @param budget the budget of an auto job whose request gives no budgetMinutes
         * @param points up to this many points in the most exploratory bracket
         * @param eta the best 1/eta of a rung go on to the next
         * @param minEpochs epochs of the most exploratory bracket's first rung
         * @param brackets brackets tried at most, while budget remains
         */
        public record Auto(
                @DefaultValue("60m") @NotNull @DurationMin(minutes = 1)
                Duration budget,

                @DefaultValue("" + Auto.DEFAULT_POINTS) @Min(1) @Max(1000)
                int points,

                @DefaultValue("" + Auto.DEFAULT_ETA) @Min(2) @Max(100)
                int eta,

                @DefaultValue("" + Auto.DEFAULT_MIN_EPOCHS) @Min(1) @Max(1000)
                int minEpochs,

                @DefaultValue("" + Auto.DEFAULT_BRACKETS) @Min(1) @Max(100)
                int brackets,

                @DefaultValue("" + Auto.DEFAULT_ENSEMBLE) @Min(1) @Max(8)
                int ensemble) {

            /** The search's defaults, the service's and the command line's ({@code train --model auto}). */
            public static final int DEFAULT_POINTS = 9;

            public static final int DEFAULT_ETA = 3;
            public static final int DEFAULT_MIN_EPOCHS = 5;
            public static final int DEFAULT_BRACKETS = 6;
            /**
             * Runs of the chosen setting the served model may combine (the chosen one and up to five
             * more seeds, while the budget lasts, members chosen by validation; a seed ensemble,
             * docs/design.md); 1: the chosen run alone.
             */
            public static final int DEFAULT_ENSEMBLE = 6;
        }

        /** @param popularityFloor a candidate must beat the popularity ranking on the job's holdout */
        public record Gate(@DefaultValue("true") boolean popularityFloor) {}
    }

    /**
     * What an empty database and an empty registry start with.
     *
     * @param dataset MMRec-format folder imported into an empty database at start-up; empty: none
     * @param demo with no dataset, load the synthetic demo catalogue into an empty database
     * @param model folder written by {@code train --out}, registered and activated when the registry is empty
     */
    public record Bootstrap(
            @DefaultValue("") String dataset,
            @DefaultValue("true") boolean demo,
            @DefaultValue("") String model) {}

    /**
     * The PostgreSQL started by the service itself when {@code spring.datasource.url} is not set.
     *
     * @param dataDir its data folder (kept across restarts)
     * @param port its port; 0 picks a free one
     */
    public record EmbeddedPostgres(
            @DefaultValue("./data/postgres") @NotBlank String dataDir,
            @DefaultValue("0") @Min(0) @Max(65535) int port) {}
}
