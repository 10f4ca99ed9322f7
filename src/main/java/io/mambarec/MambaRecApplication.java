package io.mambarec;

import io.mambarec.cli.MambaRecCommand;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * One jar, three ways in: {@code serve} (the default) starts the web service; {@code train},
 * {@code evaluate} and {@code benchmark} run the offline command line without a web server.
 */
@SpringBootApplication
public class MambaRecApplication {

    public static void main(String[] args) {
        DjlEnvironment.configureOffline();
        if (MambaRecCommand.isOfflineCommand(args)) {
            System.exit(MambaRecCommand.run(args));
        }
        String[] serveArgs = args.length > 0 && "serve".equals(args[0])
                ? java.util.Arrays.copyOfRange(args, 1, args.length) : args;
        SpringApplication.run(MambaRecApplication.class, serveArgs);
    }
}
