package io.mambarec.cli;

import io.mambarec.data.InvalidDatasetException;
import io.mambarec.training.TrainingCancelledException;
import io.mambarec.training.TrainingDivergedException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The offline command line: {@code train}, {@code evaluate}, {@code benchmark}, {@code migrate}, {@code text-benchmark}. No web server starts. */
@Command(
        name = "mambarec",
        mixinStandardHelpOptions = true,
        description = "Train, evaluate and benchmark recommenders on MMRec-format dataset folders.",
        subcommands = {
            TrainCommand.class,
            EvaluateCommand.class,
            BenchmarkCommand.class,
            MigrateCommand.class,
            TextBenchmarkCommand.class,
            CommandLine.HelpCommand.class
        })
public final class MambaRecCommand {

    private static final Set<String> OFFLINE =
            Set.of("train", "evaluate", "benchmark", "migrate", "text-benchmark", "help", "--help", "-h");

    /** Exit code of a run stopped by bad input (arguments or data). */
    public static final int EXIT_BAD_INPUT = 2;
    /** Exit code of a run that failed while training (NaN loss, I/O). */
    public static final int EXIT_FAILED = 1;

    public static boolean isOfflineCommand(String[] args) {
        return args.length > 0 && OFFLINE.contains(args[0]);
    }

    public static int run(String[] args) {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "logback-cli.xml");
        }
        return commandLine().execute(args);
    }

    /** The command line with one-line error messages (no stack traces) for bad input and failed runs. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new MambaRecCommand());
        cli.setParameterExceptionHandler((ex, arguments) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println("error: " + ex.getMessage() + " (see '"
                    + ex.getCommandLine().getCommandName() + " --help')");
            err.flush();
            return EXIT_BAD_INPUT;
        });
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            int code;
            if (ex instanceof InvalidDatasetException || ex instanceof IllegalArgumentException) {
                code = EXIT_BAD_INPUT;
            } else if (ex instanceof TrainingDivergedException
                    || ex instanceof TrainingCancelledException
                    || ex instanceof UncheckedIOException) {
                code = EXIT_FAILED;
            } else {
                throw ex;
            }
            err.println("error: " + ex.getMessage());
            err.flush();
            return code;
        });
        return cli;
    }
}
