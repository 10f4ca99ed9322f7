package io.mambarec.api;

import io.mambarec.serving.Recommendation;
import io.mambarec.serving.Recommender;
import io.mambarec.serving.SimilarItems;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class RecommendationController {

    private final Recommender recommender;

    public RecommendationController(Recommender recommender) {
        this.recommender = recommender;
    }

    @Operation(summary = "Top-k items for a user",
            description = "Excludes every item the user has interacted with. Strategy 'model' (user known to the"
                    + " active model), 'fold-in' (unknown to the model, has stored interactions) or 'popular'.")
    @GetMapping("/recommend/{userId}")
    public Recommendation recommend(
            @PathVariable @Pattern(regexp = ApiIds.PATTERN, message = ApiIds.MESSAGE) String userId,
            @RequestParam(defaultValue = "20") @Min(1) @Max(500) int k) {
        return recommender.recommend(userId, k);
    }

    @Operation(summary = "The items nearest to an item by cosine similarity of the fused embeddings")
    @ApiResponse(responseCode = "200", description = "The nearest items")
    @ApiResponse(responseCode = "404", description = "The item is not in the catalogue")
    @GetMapping("/items/{itemId}/similar")
    public SimilarItems similar(
            @PathVariable @Pattern(regexp = ApiIds.PATTERN, message = ApiIds.MESSAGE) String itemId,
            @RequestParam(defaultValue = "10") @Min(1) @Max(500) int k) {
        return recommender.similar(itemId, k)
                .orElseThrow(() -> Problems.notFound("item '" + itemId + "' is not in the catalogue"));
    }
}
