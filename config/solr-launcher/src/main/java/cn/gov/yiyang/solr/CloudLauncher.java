package cn.gov.yiyang.solr;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.solr.client.solrj.request.CollectionAdminRequest;
import org.apache.solr.cloud.MiniSolrCloudCluster;
import org.apache.solr.common.cloud.ClusterState;
import org.apache.solr.common.cloud.DocCollection;
import org.apache.solr.common.cloud.Replica;
import org.apache.solr.common.cloud.Slice;
import org.apache.solr.embedded.JettyConfig;
import org.apache.solr.embedded.JettySolrRunner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a local SolrCloud for development and fault tests: solr-test-framework's {@link
 * MiniSolrCloudCluster} (an embedded ZooKeeper and N Solr nodes, each a real {@link
 * JettySolrRunner} on its own port of 127.0.0.1), the configset uploaded to ZooKeeper and one
 * collection of S shards by R replicas, with the standalone Solr's BasicAuth (security.json in
 * ZooKeeper; nodes talk to each other with Solr's PKI authentication).
 *
 * <p>Node i (1-based) listens on base-port + i - 1. A small control port (127.0.0.1, the same
 * BasicAuth user and password) reports the cluster and stops or restarts a node for real:
 *
 * <pre>
 *   GET  /status           the collection's replicas per node, live nodes, "healthy"
 *   POST /nodes/N/stop     MiniSolrCloudCluster.stopJettySolrRunner (Jetty and its cores close)
 *   POST /nodes/N/start    the same node again on the same port; answers once every replica
 *                          of the collection is active again
 * </pre>
 *
 * <p>The state (ZooKeeper data, the nodes' homes and indexes) lives under --dir and is started
 * afresh each time (config/bin/solr.sh cloud start empties it): after a start, reindex.
 */
public final class CloudLauncher {

  private static final String USAGE =
      String.join(
          "\n",
          "usage: CloudLauncher --dir DIR --security FILE [options]",
          "  --dir DIR            state: ZooKeeper data and the nodes' homes (must be empty)",
          "  --security FILE      security.json (BasicAuth) put into ZooKeeper",
          "  --base-port N        node 1's HTTP port; node i listens on N+i-1 (default 8990)",
          "  --control-port N     the control port (default 8989)",
          "  --nodes N            Solr nodes (default 2)",
          "  --shards N           shards of the collection (default 2)",
          "  --replicas N         replicas of each shard (default 2)",
          "  --configset-dir DIR  directory holding CONFIGSET/conf/ (default config/solr/configsets)",
          "  --configset NAME     the configset uploaded and used (default ckan)",
          "  --collection NAME    the collection created (default ckan)",
          "Environment: SOLR_USER and SOLR_PASSWORD, the BasicAuth credentials of security.json.");

  private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");
  private static final Pattern NODE_PATH = Pattern.compile("/nodes/(\\d+)/(stop|start)");
  private static final String CONTEXT = "/solr";
  private static final int WAIT_SECONDS = 120;

  record Options(
      Path dir,
      Path security,
      int basePort,
      int controlPort,
      int nodes,
      int shards,
      int replicas,
      Path configSetDir,
      String configSet,
      String collection) {}

  private final Options options;
  private final Logger log;
  private final String user;
  private final String password;
  private final MiniSolrCloudCluster cluster;
  /** Node i-1's runner; a stopped runner stays here so it can be started again. */
  private final List<JettySolrRunner> nodes = new ArrayList<>();
  /** Node i-1's node name in ZooKeeper (127.0.0.1:PORT_solr), kept while it is stopped. */
  private final List<String> nodeNames = new ArrayList<>();

  private CloudLauncher(Options options, Logger log, String user, String password)
      throws Exception {
    this.options = options;
    this.log = log;
    this.user = user;
    this.password = password;
    // No node yet: the nodes are started below one by one, each on its fixed port.
    this.cluster =
        new MiniSolrCloudCluster.Builder(0, options.dir())
            .withSecurityJson(options.security())
            .addConfig(options.configSet(), options.configSetDir().resolve(options.configSet()).resolve("conf"))
            .withMetrics(false)
            .build();
  }

  public static void main(String[] args) {
    if (List.of(args).contains("-h") || List.of(args).contains("--help")) {
      System.out.println(USAGE);
      return;
    }
    Options options;
    try {
      options = parse(args);
    } catch (SolrLauncher.UsageException e) {
      System.err.println("CloudLauncher: " + e.getMessage());
      System.err.println(USAGE);
      System.exit(2);
      return;
    }
    String user = System.getenv("SOLR_USER");
    String password = System.getenv("SOLR_PASSWORD");
    if (user == null || user.isEmpty() || password == null || password.isEmpty()) {
      System.err.println("CloudLauncher: SOLR_USER and SOLR_PASSWORD must be set");
      System.exit(2);
      return;
    }
    if (System.getProperty("solr.log.dir") == null) {
      System.setProperty("solr.log.dir", options.dir().toString());
    }
    System.setProperty("disable.configEdit", "true");
    Logger log = LoggerFactory.getLogger(CloudLauncher.class);
    long started = System.nanoTime();
    CloudLauncher launcher;
    try {
      Files.createDirectories(options.dir());
      launcher = new CloudLauncher(options, log, user, password);
      launcher.startCluster();
    } catch (Exception e) {
      log.error("SolrCloud failed to start: {}", e.toString(), e);
      // Jetty and ZooKeeper threads are not daemons: leave for good.
      Runtime.getRuntime().halt(1);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  log.info("Stopping SolrCloud");
                  try {
                    launcher.cluster.shutdown();
                  } catch (Exception e) {
                    log.warn("Error while stopping SolrCloud: {}", e.toString());
                  }
                  log.info("SolrCloud stopped");
                  stopped.countDown();
                },
                "cloud-launcher-shutdown"));
    log.info(
        "SolrCloud READY in {} ms: collection {} ({} shards x {} replicas) at {}; ZooKeeper {};"
            + " control http://127.0.0.1:{}/status",
        (System.nanoTime() - started) / 1_000_000,
        options.collection(),
        options.shards(),
        options.replicas(),
        launcher.collectionUrls(),
        launcher.cluster.getZkServer().getZkAddress(),
        options.controlPort());
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void startCluster() throws Exception {
    for (int i = 0; i < options.nodes(); i++) {
      JettyConfig config =
          JettyConfig.builder()
              .setPort(options.basePort() + i)
              .setContext(CONTEXT)
              .stopAtShutdown(false)
              .withPortRetryTime(0)
              .build();
      JettySolrRunner jetty =
          cluster.startJettySolrRunner("node" + (i + 1), CONTEXT, config);
      nodes.add(jetty);
      nodeNames.add(jetty.getNodeName());
    }
    cluster.waitForAllNodes(WAIT_SECONDS);
    CollectionAdminRequest.Create create =
        CollectionAdminRequest.createCollection(
            options.collection(), options.configSet(), options.shards(), options.replicas());
    create.setBasicAuthCredentials(user, password);
    create.process(cluster.getSolrClient());
    cluster.waitForActiveCollection(
        options.collection(),
        WAIT_SECONDS,
        TimeUnit.SECONDS,
        options.shards(),
        options.shards() * options.replicas());
    // Replicas of one shard on one node would make a node stop lose the shard.
    DocCollection collection = clusterState().getCollection(options.collection());
    for (Slice slice : collection.getSlices()) {
      Set<String> on = new TreeSet<>();
      slice.getReplicas().forEach(r -> on.add(r.getNodeName()));
      if (on.size() < Math.min(options.replicas(), options.nodes())) {
        throw new IllegalStateException(
            "replicas of " + slice.getName() + " share a node: " + on + "; see " + collection);
      }
    }
    startControl();
  }

  private ClusterState clusterState() {
    return cluster.getZkStateReader().getClusterState();
  }

  private String collectionUrls() {
    List<String> urls = new ArrayList<>();
    for (int i = 0; i < options.nodes(); i++) {
      urls.add("http://127.0.0.1:" + (options.basePort() + i) + CONTEXT + "/" + options.collection());
    }
    return String.join(" ", urls);
  }

  // --- the control port -------------------------------------------------------------------

  private void startControl() throws IOException {
    HttpServer server =
        HttpServer.create(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), options.controlPort()), 16);
    server.setExecutor(Executors.newFixedThreadPool(2, daemonThreads()));
    server.createContext(
        "/",
        exchange -> {
          try {
            handle(exchange);
          } catch (Exception e) {
            log.warn("Control request {} failed: {}", exchange.getRequestURI(), e.toString(), e);
            reply(exchange, 500, "{\"error\": " + quote(e.toString()) + "}");
          } finally {
            exchange.close();
          }
        });
    server.start();
  }

  private static java.util.concurrent.ThreadFactory daemonThreads() {
    return r -> {
      Thread t = new Thread(r, "cloud-control");
      t.setDaemon(true);
      return t;
    };
  }

  private void handle(HttpExchange exchange) throws Exception {
    if (!authorized(exchange.getRequestHeaders().getFirst("Authorization"))) {
      exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"solr-cloud-control\"");
      reply(exchange, 401, "{\"error\": \"authentication required\"}");
      return;
    }
    String path = exchange.getRequestURI().getPath();
    String method = exchange.getRequestMethod();
    if (path.equals("/status") && method.equals("GET")) {
      reply(exchange, 200, status());
      return;
    }
    Matcher m = NODE_PATH.matcher(path);
    if (m.matches() && method.equals("POST")) {
      int number = Integer.parseInt(m.group(1));
      if (number < 1 || number > nodes.size()) {
        reply(exchange, 404, "{\"error\": \"no node " + number + "\"}");
        return;
      }
      if (m.group(2).equals("stop")) {
        stopNode(number);
      } else {
        startNode(number);
      }
      reply(exchange, 200, status());
      return;
    }
    reply(exchange, 404, "{\"error\": " + quote("unknown request " + method + " " + path) + "}");
  }

  private synchronized void stopNode(int number) throws Exception {
    JettySolrRunner jetty = nodes.get(number - 1);
    if (jetty.isRunning()) {
      long t = System.nanoTime();
      cluster.stopJettySolrRunner(jetty);
      cluster.waitForJettyToStop(jetty);
      log.info("Node {} stopped in {} ms", number, (System.nanoTime() - t) / 1_000_000);
    }
  }

  private synchronized void startNode(int number) throws Exception {
    JettySolrRunner jetty = nodes.get(number - 1);
    if (!jetty.isRunning()) {
      long t = System.nanoTime();
      // true: the same port as before.
      cluster.startJettySolrRunner(jetty, true);
      cluster.waitForNode(jetty, WAIT_SECONDS);
      // Its replicas recover (peer sync or a copy of the leader's index) before they count.
      cluster.waitForActiveCollection(
          options.collection(),
          WAIT_SECONDS,
          TimeUnit.SECONDS,
          options.shards(),
          options.shards() * options.replicas());
      log.info("Node {} started again in {} ms", number, (System.nanoTime() - t) / 1_000_000);
    }
  }

  private String status() {
    ClusterState state = clusterState();
    Set<String> live = state.getLiveNodes();
    DocCollection collection = state.getCollectionOrNull(options.collection());
    boolean healthy = collection != null;
    StringBuilder out = new StringBuilder();
    out.append("{\"collection\": ").append(quote(options.collection()));
    out.append(", \"zk\": ").append(quote(cluster.getZkServer().getZkAddress()));
    out.append(", \"nodes\": [");
    for (int i = 0; i < nodes.size(); i++) {
      String name = nodeNames.get(i);
      if (i > 0) out.append(", ");
      out.append("{\"node\": ").append(i + 1);
      out.append(", \"port\": ").append(options.basePort() + i);
      out.append(", \"name\": ").append(quote(name));
      out.append(", \"running\": ").append(nodes.get(i).isRunning());
      out.append(", \"live\": ").append(live.contains(name));
      out.append(", \"replicas\": [");
      if (collection != null) {
        List<Replica> here = collection.getReplicasOnNode(name);
        for (int j = 0; j < here.size(); j++) {
          Replica r = here.get(j);
          if (j > 0) out.append(", ");
          out.append("{\"shard\": ").append(quote(r.getShard()));
          out.append(", \"core\": ").append(quote(r.getCoreName()));
          out.append(", \"state\": ").append(quote(r.getState().toString()));
          out.append(", \"active\": ").append(r.isActive(live));
          out.append(", \"leader\": ").append(r.isLeader()).append('}');
        }
      }
      out.append("]}");
    }
    out.append("]");
    if (collection != null) {
      for (Replica r : collection.getReplicas()) {
        healthy &= r.isActive(live);
      }
      for (Slice s : collection.getSlices()) {
        Replica leader = s.getLeader();
        healthy &= leader != null && leader.isActive(live);
      }
    }
    out.append(", \"healthy\": ").append(healthy).append("}\n");
    return out.toString();
  }

  private boolean authorized(String header) {
    if (header == null || !header.startsWith("Basic ")) return false;
    byte[] given = header.substring(6).trim().getBytes(StandardCharsets.US_ASCII);
    byte[] wanted =
        Base64.getEncoder()
            .encode((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    return MessageDigest.isEqual(given, wanted);
  }

  private static void reply(HttpExchange exchange, int code, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    exchange.sendResponseHeaders(code, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static String quote(String s) {
    if (s == null) return "null";
    StringBuilder out = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        default -> {
          if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
          else out.append(c);
        }
      }
    }
    return out.append('"').toString();
  }

  // --- the command line -------------------------------------------------------------------

  static Options parse(String[] args) throws SolrLauncher.UsageException {
    Path dir = null;
    Path security = null;
    int basePort = 8990;
    int controlPort = 8989;
    int nodes = 2;
    int shards = 2;
    int replicas = 2;
    Path configSetDir = Path.of("config/solr/configsets");
    String configSet = "ckan";
    String collection = "ckan";
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (i + 1 >= args.length) {
        throw new SolrLauncher.UsageException("missing value after " + arg);
      }
      String value = args[++i];
      switch (arg) {
        case "--dir" -> dir = Path.of(value);
        case "--security" -> security = Path.of(value);
        case "--base-port" -> basePort = number(arg, value, 1, 65535);
        case "--control-port" -> controlPort = number(arg, value, 1, 65535);
        case "--nodes" -> nodes = number(arg, value, 1, 16);
        case "--shards" -> shards = number(arg, value, 1, 16);
        case "--replicas" -> replicas = number(arg, value, 1, 16);
        case "--configset-dir" -> configSetDir = Path.of(value);
        case "--configset" -> configSet = name(arg, value);
        case "--collection" -> collection = name(arg, value);
        default -> throw new SolrLauncher.UsageException("unknown option " + arg);
      }
    }
    if (dir == null || security == null) {
      throw new SolrLauncher.UsageException("--dir and --security are required");
    }
    if (controlPort >= basePort && controlPort < basePort + nodes) {
      throw new SolrLauncher.UsageException("--control-port collides with a node's port");
    }
    if (basePort + nodes - 1 > 65535) {
      throw new SolrLauncher.UsageException("--base-port too high for " + nodes + " nodes");
    }
    return new Options(
        dir.toAbsolutePath().normalize(),
        security.toAbsolutePath().normalize(),
        basePort,
        controlPort,
        nodes,
        shards,
        replicas,
        configSetDir.toAbsolutePath().normalize(),
        configSet,
        collection);
  }

  private static int number(String arg, String value, int min, int max)
      throws SolrLauncher.UsageException {
    try {
      int n = Integer.parseInt(value);
      if (n < min || n > max) {
        throw new SolrLauncher.UsageException(arg + " out of range: " + value);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new SolrLauncher.UsageException(arg + " needs a number, got " + value);
    }
  }

  private static String name(String arg, String value) throws SolrLauncher.UsageException {
    if (!SAFE_NAME.matcher(value).matches()) {
      throw new SolrLauncher.UsageException("bad " + arg + " " + value);
    }
    return value;
  }
}
