package io.mambarec.api;

import io.mambarec.serving.ItemFilter;
import io.mambarec.serving.Recommendation;
import io.mambarec.serving.Recommender;
import io.mambarec.serving.SimilarItems;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class RecommendationController {

    private static final String CATEGORY_DOC = "only items in any of these categories (comma-separated)";
    private static final String EXCLUDE_DOC = "never these item ids (comma-separated)";

    private final Recommender recommender;

    public RecommendationController(Recommender recommender) {
        this.recommender = recommender;
    }

    @Operation(
            summary = "Top-k items for a user",
            description = "Excludes every item the user has interacted with, unavailable and retired items. Strategy"
                    + " 'model' (user known to the active model), 'fold-in' (unknown to the model, has stored"
                    + " interactions) or 'popular' (a share of it the newest items).")
    @GetMapping("/recommend/{userId}")
    public Recommendation recommend(
            @PathVariable @Pattern(regexp = ApiIds.PATTERN, message = ApiIds.MESSAGE) String userId,
            @RequestParam(defaultValue = "20") @Min(1) @Max(500) int k,
            @Parameter(description = CATEGORY_DOC) @RequestParam(required = false) String category,
            @Parameter(description = EXCLUDE_DOC) @RequestParam(required = false) String exclude) {
        return recommender.recommend(userId, k, RequestFilters.parse(category, exclude));
    }

    /** A session: the items just looked at, optionally who looks. */
    public record SessionRequest(
            @Pattern(regexp = ApiIds.PATTERN, message = ApiIds.MESSAGE)
            String userId,

            @NotNull @Size(min = 1, max = 100)
            List<@NotNull @Pattern(regexp = ApiIds.PATTERN, message = ApiIds.MESSAGE) String> recentItems,

            @Min(1) @Max(500) Integer k,
            @Size(max = RequestFilters.MAX_CATEGORIES) List<String> category,
            @Size(max = RequestFilters.MAX_EXCLUDED) List<String> exclude) {}

    @Operation(
            summary = "Top-k items for a session (anonymous visitors included)",
            description = "Strategy 'session': the user vector is folded in from recentItems (1-100 catalogue items),"
                    + " half from the user's stored history when userId is known; the session's items are excluded."
                    + " 'popular' before any model. Unknown recentItems: 422.")
    @ApiResponse(responseCode = "200", description = "The session's recommendations")
    @ApiResponse(responseCode = "422", description = "A recent item is not in the catalogue")
    @PostMapping("/recommend")
    public Recommendation session(@RequestBody @NotNull @Valid SessionRequest request) {
        ItemFilter filter = RequestFilters.of(
                request.category() == null ? List.of() : request.category(),
                request.exclude() == null ? List.of() : request.exclude());
        return recommender.session(
                request.userId(), request.recentItems(), request.k() == null ? 20 : request.k(), filter);
    }

    @Operation(
            summary = "The items nearest to an item by cosine similarity of the fused embeddings",
            description = "Never returns unavailable or retired items; a retired item's own /similar is 404.")
    @ApiResponse(responseCode = "200", description = "The nearest items")
    @ApiResponse(responseCode = "404", description = "The item is not in the catalogue (or is retired)")
    @GetMapping("/items/{itemId}/similar")
    public SimilarItems similar(
            @PathVariable @Pattern(regexp = ApiIds.PATTERN, message = ApiIds.MESSAGE) String itemId,
            @RequestParam(defaultValue = "10") @Min(1) @Max(500) int k,
            @Parameter(description = CATEGORY_DOC) @RequestParam(required = false) String category,
            @Parameter(description = EXCLUDE_DOC) @RequestParam(required = false) String exclude) {
        return recommender
                .similar(itemId, k, RequestFilters.parse(category, exclude))
                .orElseThrow(() -> Problems.notFound("item '" + itemId + "' is not in the catalogue (or is retired)"));
    }
}
