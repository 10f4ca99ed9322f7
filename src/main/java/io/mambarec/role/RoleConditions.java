package io.mambarec.role;

import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** The conditions behind {@link ServingRole} and {@link TrainingRole}. */
final class RoleConditions {

    private RoleConditions() {}

    static final class Serves implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return Role.of(context.getEnvironment()).serves();
        }
    }

    static final class Trains implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return Role.of(context.getEnvironment()).trains();
        }
    }

    static final class TrainerOnly implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return Role.of(context.getEnvironment()) == Role.TRAINER;
        }
    }
}
