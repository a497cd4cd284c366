// Serves a Solr home over Solr's normal HTTP API on 127.0.0.1:<port>/solr,
// with the embedded Jetty of solr-test-framework. Run by scripts/lib.sh:
//   java -cp '.solr/lib/*' config/solr/SolrRunner.java <solr home> <port>
import org.apache.solr.embedded.JettyConfig;
import org.apache.solr.embedded.JettySolrRunner;

public class SolrRunner {
  public static void main(String[] args) throws Exception {
    JettyConfig config = JettyConfig.builder().setPort(Integer.parseInt(args[1])).setContext("/solr").build();
    JettySolrRunner solr = new JettySolrRunner(args[0], config);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try { solr.stop(); } catch (Exception e) { e.printStackTrace(); }
    }));
    solr.start();
    if (solr.getCoreContainer() == null || solr.getCoreContainer().isShutDown()) {
      System.err.println("Solr could not start: see the errors above");
      System.exit(1);
    }
    System.out.println("Solr serving " + args[0] + " at " + solr.getBaseUrl());
    Thread.currentThread().join();
  }
}
