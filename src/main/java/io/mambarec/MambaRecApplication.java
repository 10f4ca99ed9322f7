package io.mambarec;

import io.mambarec.cli.MambaRecCommand;
import io.mambarec.role.RoleComponentFilter;
import io.mambarec.runtime.DjlEnvironment;
import io.mambarec.runtime.NativeMemory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurationExcludeFilter;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.context.TypeExcludeFilter;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.FilterType;

/**
 * One jar, three ways in: {@code serve} (the default) starts the web service in the role
 * {@code mambarec.role} names (standalone, server or trainer; {@link io.mambarec.role.Role});
 * {@code train}, {@code evaluate} and {@code benchmark} run the offline command line without a web server.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@ComponentScan(
        excludeFilters = {
            @ComponentScan.Filter(type = FilterType.CUSTOM, classes = TypeExcludeFilter.class),
            @ComponentScan.Filter(type = FilterType.CUSTOM, classes = AutoConfigurationExcludeFilter.class),
            @ComponentScan.Filter(type = FilterType.CUSTOM, classes = RoleComponentFilter.class)
        })
public class MambaRecApplication {

    public static void main(String[] args) {
        DjlEnvironment.configureOffline();
        NativeMemory.enableHugePages();
        if (MambaRecCommand.isOfflineCommand(args)) {
            System.exit(MambaRecCommand.run(args));
        }
        String[] serveArgs =
                args.length > 0 && "serve".equals(args[0]) ? java.util.Arrays.copyOfRange(args, 1, args.length) : args;
        SpringApplication.run(MambaRecApplication.class, serveArgs);
    }
}
