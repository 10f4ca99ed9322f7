package io.mambarec.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.mambarec.data.Split;
import io.mambarec.events.EventType;
import io.mambarec.events.EventWeights;
import org.junit.jupiter.api.Test;

/** How a retraining snapshot splits the stored events (rows arrive ordered by user, then time). */
class SplitAssignerTest {

    @Test
    void apiUsersGiveTheirLatestItemToTestAndTheNextToValidation() {
        TrainingDatasetReader.SplitAssigner assigner = new TrainingDatasetReader.SplitAssigner();
        // user 10: items 1, 2, 3, 2 again (latest), 4 -> distinct by latest event: 1, 3, 2, 4
        for (int item : new int[] {1, 2, 3, 2, 4}) {
            assigner.add(10, item, -1);
        }
        assigner.finish();
        assertThat(assigner.users).containsExactly(10L);
        assertThat(assigner.split(Split.TRAIN).items()).containsExactly(1, 3);
        assertThat(assigner.split(Split.VALID).items()).containsExactly(2);
        assertThat(assigner.split(Split.TEST).items()).containsExactly(4);
    }

    @Test
    void usersWithFewItemsOnlyTrainAndImportedSplitsAreKept() {
        TrainingDatasetReader.SplitAssigner assigner = new TrainingDatasetReader.SplitAssigner();
        assigner.add(1, 5, -1);
        assigner.add(1, 6, -1);
        // imported user: labels kept, an API event of theirs trains
        assigner.add(2, 7, 0);
        assigner.add(2, 8, 2);
        assigner.add(2, 9, -1);
        assigner.add(2, 4, 1);
        // only evaluation events, no training one: left out (MMRec drops such users)
        assigner.add(3, 1, 2);
        assigner.finish();
        assertThat(assigner.users).containsExactly(1L, 2L);
        assertThat(assigner.split(Split.TRAIN).users()).containsExactly(0, 0, 1, 1);
        assertThat(assigner.split(Split.TRAIN).items()).containsExactly(5, 6, 7, 9);
        assertThat(assigner.split(Split.VALID).items()).containsExactly(4);
        assertThat(assigner.split(Split.TEST).users()).containsExactly(1);
        assertThat(assigner.split(Split.TEST).items()).containsExactly(8);
    }

    @Test
    void dislikedPairsNeverTrainAndEachPairCarriesTheLargestWeightOfItsEvents() {
        TrainingDatasetReader.SplitAssigner assigner = new TrainingDatasetReader.SplitAssigner(EventWeights.defaults());
        assigner.add(1, 5, -1, EventType.VIEW);
        assigner.add(1, 6, -1, EventType.VIEW);
        assigner.add(1, 6, -1, EventType.CART);
        assigner.add(1, 7, -1, EventType.PURCHASE);
        assigner.add(1, 7, -1, EventType.DISLIKE); // bought, then disliked: not a positive
        assigner.add(2, 8, -1, EventType.DISLIKE); // only a dislike: the user does not train
        assigner.finish();

        assertThat(assigner.users).containsExactly(1L);
        assertThat(assigner.split(Split.TRAIN).items()).containsExactly(5, 6);
        assertThat(assigner.split(Split.TRAIN).weights()).containsExactly(0.25f, 0.5f);
        assertThat(assigner.split(Split.VALID).size()
                        + assigner.split(Split.TEST).size())
                .isZero();
    }

    @Test
    void purchasesOnlyGiveNoWeights() {
        TrainingDatasetReader.SplitAssigner assigner = new TrainingDatasetReader.SplitAssigner(EventWeights.defaults());
        assigner.add(1, 5, 0, EventType.PURCHASE);
        assigner.add(1, 6, 0, EventType.LIKE);
        assigner.finish();
        assertThat(assigner.split(Split.TRAIN).size()).isEqualTo(2);
        assertThat(assigner.split(Split.TRAIN).weights()).isNull();
    }

    @Test
    void aWeightOfZeroDropsThatType() {
        TrainingDatasetReader.SplitAssigner assigner =
                new TrainingDatasetReader.SplitAssigner(new EventWeights(0, 0.5, 1, 1));
        assigner.add(1, 5, -1, EventType.VIEW);
        assigner.add(1, 6, -1, EventType.PURCHASE);
        assigner.finish();
        assertThat(assigner.split(Split.TRAIN).items()).containsExactly(6);
    }
}
