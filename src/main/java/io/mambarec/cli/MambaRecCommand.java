package io.mambarec.cli;

import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The offline command line: {@code train}, {@code evaluate}, {@code benchmark}. No web server starts. */
@Command(name = "mambarec", mixinStandardHelpOptions = true,
        description = "Train, evaluate and benchmark recommenders on MMRec-format dataset folders.",
        subcommands = {})
public final class MambaRecCommand {

    private static final Set<String> OFFLINE = Set.of("train", "evaluate", "benchmark", "help", "--help", "-h");

    public static boolean isOfflineCommand(String[] args) {
        return args.length > 0 && OFFLINE.contains(args[0]);
    }

    public static int run(String[] args) {
        return new CommandLine(new MambaRecCommand()).execute(args);
    }
}
