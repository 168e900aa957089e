package org.archive.cluster;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.logging.log4j.LogManager;
import org.opensearch.analysis.common.CommonAnalysisPlugin;
import org.opensearch.common.logging.LogConfigurator;
import org.opensearch.common.settings.Settings;
import org.opensearch.env.Environment;
import org.opensearch.node.InternalSettingsPreparer;
import org.opensearch.node.Node;
import org.opensearch.transport.Netty4Plugin;

/**
 * One OpenSearch node in its own JVM, started from code with the netty4 transport and
 * analysis-common modules as classpath plugins (the tarball's modules/ directory is not
 * used: every jar comes from Maven Central).
 *
 * <p>Arguments are {@code -Ekey=value} settings, as for the distribution's {@code bin/opensearch};
 * {@code path.home} is required and {@code path.home/config} holds log4j2.properties.
 *
 * <p>Starting a Node directly (not through org.opensearch.bootstrap.OpenSearch) skips what the
 * distribution's Bootstrap does before it: no security manager is installed, no JarHell scan of
 * the classpath, no native init (mlock, seccomp), and no bootstrap checks (Node's own
 * validateNodeBeforeAcceptingRequests is a no-op; Bootstrap overrides it). All of that is fine for
 * a loopback-only development cluster and would not be for production.
 */
public final class ArchiveClusterNode extends Node {

    private ArchiveClusterNode(Environment environment) {
        super(environment, List.of(Netty4Plugin.class, CommonAnalysisPlugin.class), true);
    }

    public static void main(String[] args) throws Exception {
        Settings.Builder input = Settings.builder();
        for (String arg : args) {
            if (!arg.startsWith("-E") || !arg.contains("=")) {
                throw new IllegalArgumentException("expected -Ekey=value, got [" + arg + "]");
            }
            int eq = arg.indexOf('=');
            input.put(arg.substring(2, eq), arg.substring(eq + 1));
        }
        Settings settings = input.build();
        if (!settings.hasValue("path.home")) {
            throw new IllegalArgumentException("-Epath.home=... is required");
        }
        String nodeName = settings.get("node.name", "node");

        LogConfigurator.registerErrorListener();
        Environment environment = InternalSettingsPreparer.prepareEnvironment(settings, Map.of(), null, () -> nodeName);
        LogConfigurator.setNodeName(nodeName);
        LogConfigurator.configure(environment);

        Node node = new ArchiveClusterNode(environment);
        CountDownLatch stopped = new CountDownLatch(1);
        // SIGTERM (make cluster-stop) closes the node cleanly; SIGKILL (fault tests) skips this.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                node.close();
                node.awaitClose(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                e.printStackTrace();
            } finally {
                LogManager.shutdown();
                stopped.countDown();
            }
        }, "archive-cluster-node-shutdown"));
        node.start();
        // Node threads are daemon threads (as in the distribution's Bootstrap keepAlive thread),
        // so the main thread stays alive until the shutdown hook has closed the node.
        stopped.await();
    }
}
