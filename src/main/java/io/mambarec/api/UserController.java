package io.mambarec.api;

import io.mambarec.serving.ErasedUsers;
import io.mambarec.serving.SeenItems;
import io.mambarec.storage.UserErasureStore;
import io.mambarec.storage.UserErasureStore.Erasure;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.constraints.Pattern;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class UserController {

    /** The audit trail of erasures, apart from the application log's other messages. */
    private static final Logger audit = LoggerFactory.getLogger("io.mambarec.audit");

    private final UserErasureStore erasures;
    private final ErasedUsers erased;
    private final SeenItems seenItems;

    public UserController(UserErasureStore erasures, ErasedUsers erased, SeenItems seenItems) {
        this.erasures = erasures;
        this.erased = erased;
        this.seenItems = seenItems;
    }

    @Operation(
            summary = "Erase a user (admin): their events and row are deleted",
            description = "204. At once on every replica the id is served as an unknown user (popular), and no later"
                    + " model contains them. Audit-logged (table user_erasure: SHA-256 of the id, events deleted, when)."
                    + " Idempotent: erasing an unknown id is a 204 too (and is logged).")
    @ApiResponse(responseCode = "204", description = "Erased")
    @DeleteMapping("/users/{userId}")
    public ResponseEntity<Void> erase(
            @PathVariable @Pattern(regexp = ApiIds.PATTERN, message = ApiIds.MESSAGE) String userId,
            HttpServletRequest request) {
        Erasure erasure = erasures.erase(userId, request.getRemoteAddr());
        erased.erased(List.of(userId));
        seenItems.committed(List.of(userId));
        audit.info(
                "user erased: subject_sha256={} existed={} events_deleted={} from={}",
                erasure.subjectSha256(),
                erasure.userExisted(),
                erasure.eventsDeleted(),
                request.getRemoteAddr());
        return ResponseEntity.noContent().build();
    }
}
