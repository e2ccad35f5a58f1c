package cn.gov.yiyang.solr;

import java.io.IOException;
import java.net.BindException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Pattern;
import org.apache.lucene.util.Version;
import org.apache.solr.client.api.util.SolrVersion;
import org.apache.solr.core.CoreContainer;
import org.apache.solr.embedded.JettyConfig;
import org.apache.solr.embedded.JettySolrRunner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a real Apache Solr 9 node (Solr's own {@link JettySolrRunner}: the same request dispatch
 * and HTTP API as a packaged Solr, without the admin UI) on 127.0.0.1, in the foreground, until
 * the process is stopped (SIGTERM/SIGINT stop Jetty and close the cores cleanly).
 *
 * <p>The solr home holds only generated files and the indexes: {@code solr.xml} (rewritten on
 * every start), and per core {@code NAME/core.properties} plus {@code NAME/data/}. The configsets
 * are read in place from {@code --configset-dir}, so editing the repository's configset and
 * restarting takes effect. Cores whose directory exists in the home but that are not named on
 * the command line are still loaded by Solr's core discovery (a warning lists them).
 */
public final class SolrLauncher {

  private static final String USAGE =
      String.join(
          "\n",
          "usage: SolrLauncher [--port N] [--home DIR] [--configset-dir DIR] --core NAME[:CONFIGSET] ...",
          "  --port N             HTTP port on 127.0.0.1 (default 8983); context is /solr",
          "  --home DIR           solr home: solr.xml, cores, indexes (default var/solr)",
          "  --configset-dir DIR  directory holding CONFIGSET/conf/ (default config/solr/configsets)",
          "  --core NAME[:SET]    a core to create/load, using configset SET (default ckan);",
          "                       repeatable, e.g. --core ckan --core ckan_test --core ckan_stock:stock",
          "JVM properties: -Dsolr.log.level=INFO|DEBUG raises Solr's logging (default WARN).");

  /** Core and configset names become directory names; keep them to Solr's safe characters. */
  private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");

  private static final String CONTEXT = "/solr";

  /** Node property substituted into solr.xml, so the file needs no absolute path of its own. */
  private static final String CONFIGSET_DIR_PROPERTY = "yiyang.configSetBaseDir";

  /**
   * Jersey (Solr's v2 API) logs through java.util.logging, straight to stderr, bypassing
   * log4j2. A strong reference keeps the level set here from being garbage-collected away.
   */
  private static final java.util.logging.Logger JERSEY_LOG =
      java.util.logging.Logger.getLogger("org.glassfish.jersey");

  private SolrLauncher() {}

  record CoreSpec(String name, String configSet) {}

  record Options(int port, Path home, Path configSetDir, List<CoreSpec> cores) {}

  /** Thrown for a bad command line; printed with the usage text. */
  static final class UsageException extends Exception {
    UsageException(String message) {
      super(message);
    }
  }

  public static void main(String[] args) {
    if (List.of(args).contains("-h") || List.of(args).contains("--help")) {
      System.out.println(USAGE);
      return;
    }
    Options options;
    try {
      options = parse(args);
    } catch (UsageException e) {
      System.err.println("SolrLauncher: " + e.getMessage());
      System.err.println(USAGE);
      System.exit(2);
      return;
    }
    // Before any Solr class logs: Solr complains loudly when this is unset, although with our
    // console-only log4j2.xml nothing is written there.
    if (System.getProperty("solr.log.dir") == null) {
      System.setProperty("solr.log.dir", options.home().toString());
    }
    // The configsets are the repository's own files, read in place: refuse the Config API's
    // writes (configoverlay.json, params.json) so a request can never modify the repository.
    System.setProperty("disable.configEdit", "true");
    // Jersey's one start-up warning (no jakarta.activation on the classpath) is noise here.
    JERSEY_LOG.setLevel(java.util.logging.Level.SEVERE);

    Logger log = LoggerFactory.getLogger(SolrLauncher.class);
    try {
      int code = run(options, log);
      // 0 means the shutdown hook has stopped Solr and the JVM is already exiting.
      if (code != 0) {
        System.exit(code);
      }
    } catch (IOException e) {
      // Missing configset, unwritable home: the message says it all.
      log.error("Solr failed to start: {}", describe(e));
      System.exit(1);
    } catch (Exception e) {
      log.error("Solr failed to start: {}", describe(e), e);
      System.exit(1);
    }
  }

  /** Starts Solr, blocks until shutdown; returns the process exit code. */
  static int run(Options options, Logger log) throws Exception {
    long started = System.nanoTime();
    prepareHome(options, log);

    Properties nodeProperties = new Properties();
    nodeProperties.setProperty(CONFIGSET_DIR_PROPERTY, options.configSetDir().toString());

    JettyConfig jettyConfig =
        JettyConfig.builder()
            .setPort(options.port())
            .setContext(CONTEXT)
            // Our own shutdown hook stops Jetty, then lets the JVM exit; Jetty's hook would race it.
            .stopAtShutdown(false)
            // Fail at once when the port is taken instead of retrying for a minute.
            .withPortRetryTime(0)
            // start() returns only once every core has finished loading (or failed).
            .waitForLoadingCoresToFinish(120_000L)
            .build();
    JettySolrRunner jetty =
        new JettySolrRunner(options.home().toString(), nodeProperties, jettyConfig);

    try {
      jetty.start();
    } catch (Exception e) {
      if (causedBy(e, BindException.class)) {
        log.error(
            "Port {} on 127.0.0.1 is already in use (another Solr running?): {}",
            options.port(),
            describe(e));
        stopQuietly(jetty, log);
        return 1;
      }
      stopQuietly(jetty, log);
      throw e;
    }

    CoreContainer cores = jetty.getCoreContainer();
    if (cores == null) {
      log.error("Solr did not start a core container; see the errors above.");
      stopQuietly(jetty, log);
      return 1;
    }
    List<String> failures = new ArrayList<>();
    for (CoreSpec core : options.cores()) {
      CoreContainer.CoreLoadFailure failure = cores.getCoreInitFailures().get(core.name());
      if (failure != null) {
        failures.add(core.name() + ": " + describe(failure.exception));
      } else if (!cores.isLoaded(core.name())) {
        failures.add(core.name() + ": not loaded");
      }
    }
    if (!failures.isEmpty()) {
      // A half-working Solr makes CKAN fail later in confusing ways; stop now and say why.
      failures.forEach(f -> log.error("Core failed to load: {}", f));
      stopQuietly(jetty, log);
      return 1;
    }
    List<String> extra = new ArrayList<>(cores.getLoadedCoreNames());
    options.cores().forEach(c -> extra.remove(c.name()));
    if (!extra.isEmpty()) {
      log.warn("Also loaded, found in {} but not requested: {}", options.home(), extra);
    }

    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  log.info("Stopping Solr on port {}", options.port());
                  stopQuietly(jetty, log);
                  log.info("Solr stopped");
                  stopped.countDown();
                },
                "solr-launcher-shutdown"));

    StringBuilder coreList = new StringBuilder();
    for (CoreSpec core : options.cores()) {
      if (coreList.length() > 0) coreList.append(", ");
      coreList.append(core.name()).append(" (configset ").append(core.configSet()).append(')');
    }
    // The one line to look for in the log (config/bin/solr.sh waits on /admin/ping instead).
    log.info(
        "Solr {} (Lucene {}) READY at http://127.0.0.1:{}{} in {} ms; cores: {}; home {}",
        SolrVersion.LATEST_STRING,
        Version.LATEST,
        jetty.getLocalPort(),
        CONTEXT,
        (System.nanoTime() - started) / 1_000_000,
        coreList,
        options.home());

    stopped.await();
    return 0;
  }

  /**
   * Creates the solr home and one directory per core. solr.xml is generated (rewritten when it
   * differs) so the launcher and the file never disagree; core.properties is rewritten only when
   * the requested configset changed, which then needs a reindex (said in the log).
   */
  static void prepareHome(Options options, Logger log) throws IOException {
    Files.createDirectories(options.home());
    writeIfChanged(options.home().resolve("solr.xml"), solrXml());
    for (CoreSpec core : options.cores()) {
      Path confDir = options.configSetDir().resolve(core.configSet()).resolve("conf");
      if (!Files.isRegularFile(confDir.resolve("solrconfig.xml"))) {
        throw new IOException(
            "core " + core.name() + ": no configset at " + confDir + " (missing solrconfig.xml)");
      }
      Path coreDir = options.home().resolve(core.name());
      Files.createDirectories(coreDir);
      Path props = coreDir.resolve("core.properties");
      String wanted = coreProperties(core);
      if (Files.exists(props) && !Files.readString(props, StandardCharsets.UTF_8).equals(wanted)) {
        log.warn(
            "Core {} now uses configset {}; reindex it if the schema changed ({} rewritten)",
            core.name(),
            core.configSet(),
            props);
      }
      writeIfChanged(props, wanted);
    }
  }

  static String solrXml() {
    return String.join(
        "\n",
        "<?xml version=\"1.0\" encoding=\"UTF-8\" ?>",
        "<!-- Generated by cn.gov.yiyang.solr.SolrLauncher on every start: edits are lost.",
        "     The configset directory is the launcher option configset-dir. -->",
        "<solr>",
        "  <str name=\"configSetBaseDir\">${" + CONFIGSET_DIR_PROPERTY + "}</str>",
        "  <int name=\"maxBooleanClauses\">${solr.max.booleanClauses:1024}</int>",
        "  <str name=\"allowPaths\">${solr.allowPaths:}</str>",
        // Metrics cost heap and threads and nothing here reads them; -Dsolr.metrics.enabled=true.
        "  <metrics enabled=\"${solr.metrics.enabled:false}\"/>",
        "</solr>",
        "");
  }

  static String coreProperties(CoreSpec core) {
    return "# Generated by cn.gov.yiyang.solr.SolrLauncher; the index lives in data/ beside this file.\n"
        + "name="
        + core.name()
        + "\nconfigSet="
        + core.configSet()
        + "\n";
  }

  private static void writeIfChanged(Path file, String content) throws IOException {
    if (Files.exists(file) && Files.readString(file, StandardCharsets.UTF_8).equals(content)) {
      return;
    }
    Files.writeString(file, content, StandardCharsets.UTF_8);
  }

  static Options parse(String[] args) throws UsageException {
    int port = 8983;
    Path home = Path.of("var/solr");
    Path configSetDir = Path.of("config/solr/configsets");
    // Keyed by core name so a repeated --core does not create the core twice.
    Map<String, CoreSpec> cores = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (i + 1 >= args.length) {
        throw new UsageException("missing value after " + arg);
      }
      String value = args[++i];
      switch (arg) {
        case "--port" -> {
          try {
            port = Integer.parseInt(value);
          } catch (NumberFormatException e) {
            throw new UsageException("--port needs a number, got " + value);
          }
          if (port < 1 || port > 65535) throw new UsageException("--port out of range: " + port);
        }
        case "--home" -> home = Path.of(value);
        case "--configset-dir" -> configSetDir = Path.of(value);
        case "--core" -> {
          int colon = value.indexOf(':');
          String name = colon < 0 ? value : value.substring(0, colon);
          String set = colon < 0 ? "ckan" : value.substring(colon + 1);
          if (!SAFE_NAME.matcher(name).matches() || !SAFE_NAME.matcher(set).matches()) {
            throw new UsageException("bad --core " + value + " (expected NAME or NAME:CONFIGSET)");
          }
          cores.put(name, new CoreSpec(name, set));
        }
        default -> throw new UsageException("unknown option " + arg);
      }
    }
    if (cores.isEmpty()) {
      throw new UsageException("at least one --core is required");
    }
    // Absolute paths: Solr resolves relative ones against the solr home, not the working dir.
    return new Options(
        port,
        home.toAbsolutePath().normalize(),
        configSetDir.toAbsolutePath().normalize(),
        List.copyOf(cores.values()));
  }

  private static void stopQuietly(JettySolrRunner jetty, Logger log) {
    try {
      // After a failed bind Jetty is already stopped and stopping again only throws.
      if (jetty.isRunning()) {
        jetty.stop();
      }
    } catch (Exception e) {
      log.warn("Error while stopping Jetty: {}", describe(e));
    }
  }

  private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) return true;
    }
    return false;
  }

  /** The innermost cause's message: Solr wraps the useful part (bad schema line) deep inside. */
  private static String describe(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String outer = e.getClass().getSimpleName() + ": " + e.getMessage();
    return root == e
        ? outer
        : outer + " (caused by " + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
  }
}
