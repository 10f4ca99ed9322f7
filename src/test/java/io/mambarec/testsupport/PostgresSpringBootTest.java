package io.mambarec.testsupport;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.annotation.AliasFor;
import org.springframework.test.context.ContextConfiguration;

/**
 * A full {@code @SpringBootTest} (random port) on the real test PostgreSQL of
 * {@link PostgresTestDatabase}, demo bootstrap off. Usage:
 * <pre>{@code
 * @PostgresSpringBootTest(properties = "mambarec.security.admin-api-key=secret")
 * class MyTest { @Autowired ... }
 * }</pre>
 * The database is shared by every test class of the JVM: clean what you rely on with
 * {@link PostgresTestDatabase#truncateAll(javax.sql.DataSource)}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = PostgresTestInitializer.class)
public @interface PostgresSpringBootTest {

    /** Extra properties ({@code key=value}), as {@link SpringBootTest#properties()}. */
    @AliasFor(annotation = SpringBootTest.class, attribute = "properties")
    String[] properties() default {};
}
