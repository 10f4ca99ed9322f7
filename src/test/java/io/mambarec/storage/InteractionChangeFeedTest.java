package io.mambarec.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The notification payloads: every user announced once, each payload under PostgreSQL's 8000-byte limit. */
class InteractionChangeFeedTest {

    @Test
    void aBigBatchIsSplitIntoPayloadsThatPostgresAcceptsAndDecodeToTheSameUsers() {
        String longId = "u".repeat(120);
        List<String> users = IntStream.range(0, 3_000).mapToObj(k -> longId + k).toList(); // ids up to 124 chars
        List<String> payloads = InteractionChangeFeed.payloads(users);

        assertThat(payloads).hasSizeGreaterThan(1);
        assertThat(payloads).allMatch(p -> p.length() <= InteractionChangeFeed.MAX_PAYLOAD_BYTES);
        List<String> decoded = new ArrayList<>();
        payloads.forEach(p -> decoded.addAll(InteractionChangeFeed.userIds(p)));
        assertThat(decoded).containsExactlyElementsOf(users);
        assertThat(decoded).doesNotContain(InteractionChangeFeed.EVERYONE);
    }

    @Test
    void noUsersNoPayloadAndOneUserOnePayload() {
        assertThat(InteractionChangeFeed.payloads(List.of())).isEmpty();
        assertThat(InteractionChangeFeed.payloads(List.of("demo-user-0001"))).containsExactly("demo-user-0001");
        assertThat(InteractionChangeFeed.userIds("demo-user-0001")).containsExactly("demo-user-0001");
    }
}
