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
import java.io.BufferedReader;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

public class DynamoDbLocalOnLoopback {
  private static final String LOOPBACK = "127.0.0.1";
  private static final Path SOCKETS = Path.of("/proc/net/tcp");

  public static void main(String[] args) throws Exception {
    DynamoDBProxyServer emulator = ServerRunner.createServerFromCommandLineArgs(args);
    if (emulator == null) return; // -help or -version: already answered
    // The Jetty server is private to the emulator's wrapper; its connector is replaced before it starts.
    Field field = DynamoDBProxyServer.class.getDeclaredField("server");
    field.setAccessible(true);
    Server server = (Server) field.get(emulator);
    String uid = ownUid();
    Connector[] connectors = server.getConnectors();
    for (int i = 0; i < connectors.length; i++) {
      ServerConnector own = new SameUserConnector(server, uid);
      own.setHost(LOOPBACK);
      own.setPort(((ServerConnector) connectors[i]).getPort());
      connectors[i] = own;
    }
    server.setConnectors(connectors);
    emulator.start();
    if (uid == null) System.err.println("DynamoDB Local: no /proc on this system; listening on 127.0.0.1 only, for every local user");
    server.join();
  }

  /**
   * Jetty's connector, checking each connection as it is accepted, before it reaches a selector:
   * one owned by another uid is closed unread. The check reads the kernel's socket table (a few
   * milliseconds), on the acceptor's thread, so it delays new connections only, never the traffic
   * of open ones; the SDK's clients keep theirs open.
   */
  static final class SameUserConnector extends ServerConnector {
    /** ServerConnector hands an accepted channel on through a private method; this calls it. */
    private static final Method ACCEPTED;

    static {
      try {
        ACCEPTED = ServerConnector.class.getDeclaredMethod("accepted", SocketChannel.class);
        ACCEPTED.setAccessible(true);
      } catch (NoSuchMethodException e) {
        throw new IllegalStateException("This Jetty's ServerConnector has no accepted(SocketChannel)", e);
      }
    }

    private final String uid;

    SameUserConnector(Server server, String uid) {
      super(server);
      this.uid = uid;
    }

    @Override
    public void accept(int acceptorID) throws IOException {
      ServerSocketChannel listening = (ServerSocketChannel) getTransport();
      if (listening == null || !listening.isOpen()) return;
      SocketChannel channel = listening.accept();
      if (uid != null) {
        int clientPort = ((InetSocketAddress) channel.getRemoteAddress()).getPort();
        if (!uid.equals(ownerOf(clientPort, getLocalPort()))) {
          channel.close();
          return;
        }
      }
      try {
        ACCEPTED.invoke(this, channel);
      } catch (ReflectiveOperationException e) {
        channel.close();
        throw new IOException(e);
      }
    }
  }

  /** The uid owning the socket that connects from `clientPort` to `serverPort` on loopback, or null. */
  static String ownerOf(int clientPort, int serverPort) {
    // Rows are "  sl: local_address rem_address st ... uid ...", addresses as 0100007F:1F40 (IPv4).
    String from = String.format(":%04X ", clientPort);
    String to = String.format(":%04X ", serverPort);
    try (BufferedReader rows = Files.newBufferedReader(SOCKETS)) {
      rows.readLine(); // the header
      for (String row = rows.readLine(); row != null; row = rows.readLine()) {
        int local = row.indexOf(from);
        if (local < 0 || row.indexOf(to, local + from.length()) != local + from.length() + 8) continue;
        String[] columns = row.trim().split("\\s+");
        if (columns.length > 7) return columns[7];
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
