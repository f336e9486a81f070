package io.streamrec.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
 * The README and the docs pages stay true: every relative link and image resolves (a file that exists, and a heading
 * that exists when the link names an anchor), the README stays a page, and its two commands are the ones CI and the
 * launcher run.
 */
class DocumentationTest {

    private static final Path ROOT = Path.of(System.getProperty("streamrec.repo.root", ".."))
            .toAbsolutePath()
            .normalize();
    /** [text](target) and ![alt](target); the target ends at whitespace or the closing parenthesis. */
    private static final Pattern LINK = Pattern.compile("!?\\[[^\\]]*\\]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");

    private static final Pattern HEADING = Pattern.compile("^(#{1,6})\\s+(.*?)\\s*#*\\s*$");

    @Test
    void everyRelativeLinkAndImageResolves() throws IOException {
        List<String> broken = new ArrayList<>();
        List<Path> pages = pages();
        assertThat(pages).hasSizeGreaterThanOrEqualTo(7);
        for (Path page : pages) {
            for (String target : links(Files.readString(page, StandardCharsets.UTF_8))) {
                if (target.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) continue; // http:, https:, mailto:
                String file = target.contains("#") ? target.substring(0, target.indexOf('#')) : target;
                String anchor = target.contains("#") ? target.substring(target.indexOf('#') + 1) : null;
                Path resolved =
                        file.isEmpty() ? page : page.getParent().resolve(file).normalize();
                String where = ROOT.relativize(page) + ": " + target;
                if (!resolved.startsWith(ROOT) || !Files.exists(resolved)) {
                    broken.add(where + " (no such file)");
                } else if (anchor != null && !anchors(resolved).contains(anchor)) {
                    broken.add(where + " (no such heading in " + ROOT.relativize(resolved) + ")");
                }
            }
        }
        assertThat(broken).as("broken links in README.md and docs/").isEmpty();
    }

    @Test
    void theReadmeIsAPageAndLinksEveryDocsPage() throws IOException {
        Path readme = ROOT.resolve("README.md");
        String text = Files.readString(readme, StandardCharsets.UTF_8);
        assertThat(text.lines().count()).as("README.md lines").isLessThanOrEqualTo(150);
        assertThat(Files.size(readme)).as("README.md bytes").isLessThanOrEqualTo(12 * 1024);
        List<String> links = links(text);
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            for (Path doc : docs.filter(p -> p.toString().endsWith(".md")).toList()) {
                assertThat(links).as("README links " + doc.getFileName()).contains("docs/" + doc.getFileName());
            }
        }
    }

    @Test
    void theReadmesTwoCommandsAreTheOnesCiAndTheLauncherRun() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"), StandardCharsets.UTF_8);
        Matcher block = Pattern.compile("```bash\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        assertThat(block.find()).as("the README opens with a bash block").isTrue();
        List<String> commands = block.group(1)
                .lines()
                .map(l -> l.replaceAll("#.*", "").trim())
                .filter(l -> !l.isEmpty())
                .toList();
        assertThat(commands).containsExactly("./streamrec demo", "mvn -B verify");

        List<String> ci = Files.readAllLines(ROOT.resolve(".ci/run")).stream()
                .map(String::trim)
                .filter(l -> l.startsWith("mvn"))
                .toList();
        assertThat(ci).as(".ci/run's Maven command").containsExactly("mvn -B verify");

        String launcher = Files.readString(ROOT.resolve("streamrec"), StandardCharsets.UTF_8);
        Matcher demo = Pattern.compile("(?m)^\\s*demo\\)\\s+main=([\\w.]+)").matcher(launcher);
        assertThat(demo.find()).as("./streamrec has a demo command").isTrue();
        assertThat(launcher).as("demo is the launcher's default command").contains("cmd=\"${1:-demo}\"");
        String mainClass = demo.group(1);
        assertThat(mainClass).isEqualTo("io.streamrec.embedded.EmbeddedStreamrec");
        assertThat(ROOT.resolve("embedded/src/main/java/" + mainClass.replace('.', '/') + ".java"))
                .exists();
    }

    @Test
    void anchorsFollowGitHubsHeadingIds() {
        assertThat(slug("The online learning loop (`learner.enabled`, default true)"))
                .isEqualTo("the-online-learning-loop-learnerenabled-default-true");
        assertThat(slug("DRR quality: ablations on the same replays"))
                .isEqualTo("drr-quality-ablations-on-the-same-replays");
        assertThat(slug("Failures, exactly-once and savepoints")).isEqualTo("failures-exactly-once-and-savepoints");
    }

    private static List<Path> pages() throws IOException {
        List<Path> pages = new ArrayList<>();
        pages.add(ROOT.resolve("README.md"));
        pages.add(ROOT.resolve("benchmarks/results/README.md"));
        try (Stream<Path> docs = Files.walk(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        return pages;
    }

    /** Link targets outside fenced code blocks and inline code. */
    private static List<String> links(String markdown) {
        List<String> targets = new ArrayList<>();
        boolean fenced = false;
        for (String line : markdown.split("\n", -1)) {
            if (line.trim().startsWith("```")) {
                fenced = !fenced;
                continue;
            }
            if (fenced) continue;
            Matcher m = LINK.matcher(line.replaceAll("`[^`]*`", ""));
            while (m.find()) targets.add(m.group(1));
        }
        return targets;
    }

    private static Set<String> anchors(Path file) throws IOException {
        Set<String> ids = new HashSet<>();
        if (!file.toString().endsWith(".md")) return ids;
        Map<String, Integer> seen = new HashMap<>();
        boolean fenced = false;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.trim().startsWith("```")) fenced = !fenced;
            if (fenced) continue;
            Matcher h = HEADING.matcher(line);
            if (!h.matches()) continue;
            String id = slug(h.group(2));
            int n = seen.merge(id, 1, Integer::sum);
            ids.add(n == 1 ? id : id + "-" + (n - 1));
        }
        return ids;
    }

    /** GitHub's heading id: lower case, punctuation dropped (letters, digits, '-', '_' and spaces kept), '-' for spaces. */
    static String slug(String heading) {
        String text = heading.replaceAll("\\[([^\\]]*)\\]\\([^)]*\\)", "$1").toLowerCase(Locale.ROOT);
        StringBuilder sb = new StringBuilder();
        text.codePoints().forEach(c -> {
            if (Character.isLetterOrDigit(c) || c == '-' || c == '_') sb.appendCodePoint(c);
            else if (c == ' ') sb.append('-');
        });
        return sb.toString();
    }
}
