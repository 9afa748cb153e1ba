package io.udapi.limit;

import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;
import org.openjdk.jcstress.JCStress;
import org.openjdk.jcstress.Options;
import org.openjdk.jcstress.infra.Status;
import org.openjdk.jcstress.infra.collectors.DiskReadCollector;
import org.openjdk.jcstress.infra.collectors.InProcessCollector;
import org.openjdk.jcstress.infra.collectors.TestResult;

/**
 * Runs the jcstress tests of this package and of {@code io.udapi.admission} and exits non-zero if any failed, errored or none ran
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
        System.out.printf("jcstress gate: %d tests, %d results, %d failed%n", tests, results.size(), bad.size());
        bad.forEach(b -> System.out.println("  FAILED " + b));
        if (results.isEmpty() || !bad.isEmpty()) {
            System.exit(1);
        }
    }
}
