package io.mambarec.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * README.md and docs/*.md: every relative link names a file that exists and, with {@code #anchor},
 * a heading of that file (anchors as GitHub makes them); and CI runs the README's test command.
 */
class DocumentationLinksTest {

    private static final Path ROOT = Path.of("").toAbsolutePath();
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
    private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.*?)\\s*$");
    private static final Pattern EXTERNAL = Pattern.compile("^[a-z][a-z0-9+.-]*:.*");

    @Test
    void everyRelativeLinkPointsToAnExistingFileAndHeading() {
        List<String> broken = new ArrayList<>();
        for (Path document : documents()) {
            List<String> lines = proseLines(document);
            for (int n = 0; n < lines.size(); n++) {
                Matcher link = LINK.matcher(lines.get(n));
                while (link.find()) {
                    String problem = check(document, link.group(1));
                    if (problem != null) {
                        broken.add(ROOT.relativize(document) + ":" + (n + 1) + ": " + link.group(1) + " " + problem);
                    }
                }
            }
        }
        assertThat(broken).as("broken links").isEmpty();
    }

    @Test
    void ciRunsTheReadmeTestCommand() {
        String readme = read(ROOT.resolve("README.md"));
        Matcher command = Pattern.compile("(?m)^(\\./mvnw [^#\\n]*verify)\\s*#").matcher(readme);
        assertThat(command.find())
                .as("a './mvnw ... verify  # ...' line in README.md")
                .isTrue();
        assertThat(read(ROOT.resolve(".ci/run")).lines().map(String::strip))
                .contains(command.group(1).strip());
    }

    private static List<Path> documents() {
        List<Path> documents = new ArrayList<>(List.of(ROOT.resolve("README.md")));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(documents::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return documents;
    }

    /** null when the link resolves, else what is missing. */
    private static String check(Path document, String link) {
        if (EXTERNAL.matcher(link).matches()) {
            return null;
        }
        int hash = link.indexOf('#');
        String file = hash < 0 ? link : link.substring(0, hash);
        Path target =
                file.isEmpty() ? document : document.getParent().resolve(file).normalize();
        if (!Files.exists(target)) {
            return "names a missing file";
        }
        if (hash < 0 || Files.isDirectory(target)) {
            return null;
        }
        return anchors(target).contains(link.substring(hash + 1)) ? null : "names a missing heading";
    }

    /** GitHub's heading anchors: lower case, punctuation dropped, spaces as '-', repeats numbered. */
    static Set<String> anchors(Path document) {
        Set<String> anchors = new HashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        for (String line : proseLines(document)) {
            Matcher heading = HEADING.matcher(line);
            if (heading.matches()) {
                String slug = heading.group(1)
                        .toLowerCase(Locale.ROOT)
                        .replaceAll("[^\\p{L}\\p{N}_\\- ]", "")
                        .replace(' ', '-');
                int repeats = seen.merge(slug, 1, Integer::sum) - 1;
                anchors.add(repeats == 0 ? slug : slug + "-" + repeats);
            }
        }
        return anchors;
    }

    /** The document's lines with fenced code blocks blanked (their '#' lines are not headings). */
    private static List<String> proseLines(Path document) {
        List<String> lines = new ArrayList<>();
        boolean fenced = false;
        for (String line : read(document).lines().toList()) {
            if (line.startsWith("```")) {
                fenced = !fenced;
                lines.add("");
            } else {
                lines.add(fenced ? "" : line);
            }
        }
        return lines;
    }

    private static String read(Path path) {
        try {
            return Files.readString(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
