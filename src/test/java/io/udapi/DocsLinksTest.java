package io.udapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * Every relative link in README.md and docs/*.md resolves: to a file or directory of the repository and, for a
 * {@code #anchor}, to a heading of the target file as GitHub names it. Links to other sites are not checked.
 */
class DocsLinksTest {

    /** An inline link or image: {@code [text](target)} or {@code [text](target "title")}. */
    private static final Pattern LINK = Pattern.compile("!?\\[[^\\]]*\\]\\(\\s*<?([^)\\s>]+)>?(?:\\s+\"[^\"]*\")?\\s*\\)");
    private static final Pattern HEADING = Pattern.compile("^ {0,3}(#{1,6})\\s+(.*?)\\s*#*\\s*$");
    private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:");

    @Test
    void everyRelativeLinkInTheDocsResolvesToAFileAndHeading() {
        List<String> broken = new ArrayList<>();
        for (Path page : pages()) {
            for (String target : links(read(page))) {
                problem(page, target).ifPresent(broken::add);
            }
        }
        assertEquals(List.of(), broken, "broken links in the docs");
    }

    @Test
    void slugsFollowGitHub() {
        assertEquals("73-the-warm-load-benchmark-method-and-first-figures",
                slug("7.3 The warm-load benchmark: method and first figures"));
        assertEquals("the-onapitrigger-contract", slug("The `OnApiTrigger` contract"));
        assertEquals("audit-events-sync-and-several-instances", slug("Audit events, sync and several instances"));
        assertEquals("docker-compose-example-udapi-and-elasticsearch",
                slug("docker-compose example (udapi and Elasticsearch)"));
        assertEquals("see-the-api", slug("See [the API](api.md)"));
    }

    @Test
    void aBrokenLinkIsNamed() {
        assertTrue(problem(Path.of("README.md"), "docs/no-such-page.md").orElseThrow().contains("no-such-page.md"));
        assertTrue(problem(Path.of("README.md"), "#no-such-heading").orElseThrow().contains("#no-such-heading"));
        assertTrue(problem(Path.of("README.md"), "#walkthrough").isEmpty());
    }

    static List<Path> pages() {
        List<Path> pages = new ArrayList<>();
        pages.add(Path.of("README.md"));
        try (Stream<Path> docs = Files.list(Path.of("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return pages;
    }

    /** Link targets outside fenced code blocks and inline code spans. */
    static List<String> links(String markdown) {
        List<String> targets = new ArrayList<>();
        boolean fenced = false;
        for (String line : markdown.split("\n", -1)) {
            if (line.strip().startsWith("```")) {
                fenced = !fenced;
                continue;
            }
            if (fenced) {
                continue;
            }
            Matcher m = LINK.matcher(line.replaceAll("`[^`]*`", "``"));
            while (m.find()) {
                targets.add(m.group(1));
            }
        }
        return targets;
    }

    /** What is wrong with {@code target} as written in {@code page}, or empty when it resolves. */
    static java.util.Optional<String> problem(Path page, String target) {
        if (SCHEME.matcher(target).find()) {
            return java.util.Optional.empty(); // another site: not ours to check
        }
        int hash = target.indexOf('#');
        String file = hash < 0 ? target : target.substring(0, hash);
        String anchor = hash < 0 ? null : target.substring(hash + 1);
        Path resolved = file.isEmpty() ? page : page.toAbsolutePath().getParent().resolve(file).normalize();
        if (!Files.exists(resolved)) {
            return java.util.Optional.of(page + ": " + target + " (no file " + file + ")");
        }
        if (anchor != null && !(Files.isRegularFile(resolved) && anchors(read(resolved)).contains(anchor))) {
            return java.util.Optional.of(page + ": " + target + " (no heading #" + anchor + " in " + resolved.getFileName() + ")");
        }
        return java.util.Optional.empty();
    }

    /** The anchors GitHub gives the headings of a page (outside code blocks), duplicates numbered. */
    static Set<String> anchors(String markdown) {
        Set<String> anchors = new HashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        boolean fenced = false;
        for (String line : markdown.split("\n", -1)) {
            if (line.strip().startsWith("```")) {
                fenced = !fenced;
                continue;
            }
            Matcher m = HEADING.matcher(line);
            if (!fenced && m.matches()) {
                String slug = slug(m.group(2));
                int n = seen.merge(slug, 1, Integer::sum) - 1;
                anchors.add(n == 0 ? slug : slug + "-" + n);
            }
        }
        return anchors;
    }

    /** GitHub's heading anchor: the text without markup, lower case, only letters, digits, '-', '_' and spaces as '-'. */
    static String slug(String heading) {
        String text = heading.replaceAll("!?\\[([^\\]]*)\\]\\([^)]*\\)", "$1").replace("`", "").replace("*", "");
        StringBuilder slug = new StringBuilder();
        text.toLowerCase(Locale.ROOT).codePoints().forEach(c -> {
            if (Character.isLetterOrDigit(c) || c == '-' || c == '_') {
                slug.appendCodePoint(c);
            } else if (c == ' ') {
                slug.append('-');
            }
        });
        return slug.toString();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
