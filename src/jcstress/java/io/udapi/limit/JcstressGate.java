package io.udapi.limit;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.openjdk.jcstress.JCStress;
import org.openjdk.jcstress.Options;
import org.openjdk.jcstress.infra.Status;
import org.openjdk.jcstress.infra.collectors.DiskReadCollector;
import org.openjdk.jcstress.infra.collectors.InProcessCollector;
import org.openjdk.jcstress.infra.collectors.TestResult;

/**
 * Runs the jcstress tests of this package and of {@code io.udapi.admission} and exits non-zero if any failed,
 * errored, or did not run, or none ran
 * ({@code org.openjdk.jcstress.Main} 0.16 exits 0 whatever the outcome, so the build could not
 * notice a FORBIDDEN result). Takes jcstress's own command-line options; the Maven build passes
 * {@code -m quick -t ^io\.udapi\.(limit|admission)\. -r target/jcstress-results}.
 */
public final class JcstressGate {

    private JcstressGate() {
    }

    public static void main(String[] args) throws Exception {
        Options options = new Options(args);
        if (!options.parse()) {
            System.exit(2);
        }
        new JCStress(options).run(); // prints the usual report

        InProcessCollector collector = new InProcessCollector();
        DiskReadCollector reader = new DiskReadCollector(options.getResultFile(), collector);
        reader.dump();
        reader.close();
        Collection<TestResult> results = collector.getTestResults();
        List<String> bad = results.stream()
                .filter(r -> r.status() != Status.NORMAL || !r.grading().isPassed)
                .map(r -> r.getName() + " " + r.getConfig().jvmArgs + ": " + r.status()
                        + (r.status() == Status.NORMAL ? " FORBIDDEN outcome " + r.getStateKeys() : ""))
                .distinct()
                .collect(Collectors.toList());
        long tests = results.stream().map(TestResult::getName).distinct().count();
        List<String> expected = declaredTests(options.getTestFilter());
        System.out.printf("jcstress gate: %d tests, %d results, %d failed; %d declared%n", tests, results.size(),
                bad.size(), expected.size());
        bad.forEach(b -> System.out.println("  FAILED " + b));
        // jcstress skips a test it cannot schedule (more actors than CPUs) with only a line in its report: a
        // declared test without results would be an invariant nobody checked
        List<String> silent = expected.stream()
                .filter(name -> results.stream().noneMatch(r -> r.getName().equals(name))).collect(Collectors.toList());
        silent.forEach(name -> System.out.println("  DID NOT RUN " + name));
        if (results.isEmpty() || !bad.isEmpty() || !silent.isEmpty()) {
            System.exit(1);
        }
    }

    /**
     * The tests the annotation processor listed in {@code META-INF/TestList} whose class matches {@code filter}.
     * Each line starts with {@code JCTEST}, then the class name prefixed by its length: {@code 35Sio.udapi...}.
     */
    private static List<String> declaredTests(String filter) throws java.io.IOException {
        Pattern line = Pattern.compile("^JCTEST(\\d+)S");
        Pattern wanted = Pattern.compile(filter);
        List<String> names = new ArrayList<>();
        try (java.io.InputStream in = JcstressGate.class.getResourceAsStream("/META-INF/TestList")) {
            if (in == null) {
                throw new IllegalStateException("no META-INF/TestList: the jcstress annotation processor did not run");
            }
            for (String text : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                Matcher m = line.matcher(text);
                if (m.find()) {
                    String name = text.substring(m.end(), m.end() + Integer.parseInt(m.group(1)));
                    if (wanted.matcher(name).find()) {
                        names.add(name);
                    }
                }
            }
        }
        return names;
    }
}
