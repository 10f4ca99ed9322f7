package io.mambarec.config;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Empty, or a cron expression Spring's scheduler accepts (six fields: second minute hour day month weekday). */
@Documented
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT})
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = CronExpression.Validator.class)
public @interface CronExpression {

    String message() default
            "must be empty or a cron expression of six fields: second minute hour day month weekday, e.g. \"0 0 3 * * *\"";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    final class Validator implements ConstraintValidator<CronExpression, String> {
        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            return value == null
                    || value.isBlank()
                    || org.springframework.scheduling.support.CronExpression.isValidExpression(value.trim());
        }
    }
}
