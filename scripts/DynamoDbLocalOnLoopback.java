// DynamoDB Local (AWS's emulator, DynamoDBLocal.jar) started as its own command line would start it,
// with two differences that keep a developer's data on their machine and their account:
// - it listens on 127.0.0.1 only. The jar has no option for the address (`-help` lists -port,
//   -inMemory, -dbPath, -sharedDb, -cors, -delayTransientStatuses, -optimizeDbBeforeStartup,
//   -disableTelemetry), and its Jetty server binds every interface;
// - on Linux, it serves only connections made by processes of the user it runs as: the kernel's
//   socket table (/proc/net/tcp) names the owner of the connecting socket. The emulator accepts any
//   credentials, so without this any local account could read and write every table over loopback.
// Run by scripts/dynamoDbLocal.mjs as a single-file source program (java <this file> <jar's options>),
// with the jar and its libraries on the class path: nothing to compile or ship.
import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import java.io.IOException;
import java.lang.reflect.Field;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

public class DynamoDbLocalOnLoopback {
  private static final String LOOPBACK = "127.0.0.1";
  private static final Path SOCKETS = Path.of("/proc/net/tcp");

  public static void main(String[] args) throws Exception {
    DynamoDBProxyServer emulator = ServerRunner.createServerFromCommandLineArgs(args);
    if (emulator == null) return; // -help or -version: already answered
    // The Jetty server is private to the emulator's wrapper; its connector is configured before it starts.
    Field field = DynamoDBProxyServer.class.getDeclaredField("server");
    field.setAccessible(true);
    Server server = (Server) field.get(emulator);
    String uid = ownUid();
    for (Connector connector : server.getConnectors()) {
      ServerConnector tcp = (ServerConnector) connector;
      tcp.setHost(LOOPBACK);
      if (uid != null) tcp.addBean(new SameUserOnly(uid));
    }
    emulator.start();
    if (uid == null) System.err.println("DynamoDB Local: no /proc on this system; listening on 127.0.0.1 only, for every local user");
    server.join();
  }

  /** Closes every connection whose client socket another user owns, before a byte of it is read. */
  static final class SameUserOnly implements Connection.Listener {
    private final String uid;

    SameUserOnly(String uid) {
      this.uid = uid;
    }

    @Override
    public void onOpened(Connection connection) {
      InetSocketAddress client = connection.getEndPoint().getRemoteAddress();
      InetSocketAddress local = connection.getEndPoint().getLocalAddress();
      if (!uid.equals(ownerOf(client.getPort(), local.getPort()))) connection.getEndPoint().close();
    }

    @Override
    public void onClosed(Connection connection) {}
  }

  /** The uid owning the socket that connects from `clientPort` to `serverPort` on loopback, or null. */
  static String ownerOf(int clientPort, int serverPort) {
    String from = String.format(":%04X", clientPort);
    String to = String.format(":%04X", serverPort);
    try {
      List<String> lines = Files.readAllLines(SOCKETS);
      for (String line : lines.subList(1, lines.size())) {
        // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid ...
        String[] columns = line.trim().split("\\s+");
        if (columns.length > 7 && columns[1].endsWith(from) && columns[2].endsWith(to)) return columns[7];
      }
    } catch (IOException e) {
      return null;
    }
    return null;
  }

  /** This process's real uid, from /proc; null where there is no /proc (macOS, Windows). */
  static String ownUid() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("Uid:")) return line.split("\\s+")[1];
      }
    } catch (IOException e) {
      return null;
    }
    return null;
  }
}
