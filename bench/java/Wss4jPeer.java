package bench.wss4j;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.FileInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.Executors;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.apache.ws.security.WSConstants;
import org.apache.ws.security.WSDataRef;
import org.apache.ws.security.WSSConfig;
import org.apache.ws.security.WSSecurityEngine;
import org.apache.ws.security.WSSecurityEngineResult;
import org.apache.ws.security.components.crypto.Merlin;
import org.w3c.dom.Document;

/**
 * The signed-message anchor: Apache WSS4J 1.6 (Debian libwss4j-java) with Apache Santuario (libxml-security-java)
 * verifying the same pre-signed requests as ours' signed-small scenario, on the JDK HTTP server. Per request:
 * parse the body into a namespace-aware DOM, WSSecurityEngine.processSecurityHeader (Timestamp check, the
 * BinarySecurityToken, the RSA-SHA256 signature over Body and Timestamp, trust of the certificate, which is the
 * only entry of the trust store), require that the Body and the Timestamp were signed, then answer a prepared
 * response. It does no schema work and no replay check, so it does less than ours does per message.
 *
 *   java -cp <classes>:wss4j.jar:xmlsec.jar:... bench.wss4j.Wss4jPeer <port> <client-cert.pem> <response-file>
 */
public final class Wss4jPeer {
  private static final ThreadLocal<DocumentBuilder> BUILDERS = ThreadLocal.withInitial(() -> {
    try {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setNamespaceAware(true);
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      return factory.newDocumentBuilder();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  });

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    X509Certificate client;
    try (InputStream in = new FileInputStream(args[1])) {
      client = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
    byte[] response = Files.readAllBytes(Paths.get(args[2]));
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    trust.setCertificateEntry("client", client);
    Merlin crypto = new Merlin();
    crypto.setTrustStore(trust);
    crypto.setKeyStore(trust);
    WSSConfig.init();
    WSSConfig config = WSSConfig.getNewInstance();
    WSSecurityEngine engine = new WSSecurityEngine();
    engine.setWssConfig(config);

    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 128);
    server.createContext("/", exchange -> handle(exchange, engine, crypto, response));
    // One worker thread: the bench gives every server one core.
    server.setExecutor(Executors.newSingleThreadExecutor());
    server.start();
    System.out.println("listening http://127.0.0.1:" + port + "/soap/bench");
  }

  private static void handle(HttpExchange exchange, WSSecurityEngine engine, Merlin crypto, byte[] response) {
    byte[] answer;
    int status;
    try (InputStream body = exchange.getRequestBody()) {
      Document document = BUILDERS.get().parse(new ByteArrayInputStream(body.readAllBytes()));
      List<WSSecurityEngineResult> results = engine.processSecurityHeader(document, null, null, crypto);
      if (results == null || !signed(results, "Body") || !signed(results, "Timestamp")) throw new SecurityException("Body and Timestamp must be signed");
      answer = response;
      status = 200;
    } catch (Exception e) {
      answer = ("<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body><soap:Fault><faultcode>soap:Client</faultcode><faultstring>"
          + String.valueOf(e.getMessage()).replace("&", "&amp;").replace("<", "&lt;") + "</faultstring></soap:Fault></soap:Body></soap:Envelope>").getBytes(StandardCharsets.UTF_8);
      status = 500;
    }
    try {
      exchange.getResponseHeaders().set("Content-Type", "text/xml; charset=utf-8");
      exchange.sendResponseHeaders(status, answer.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(answer);
      }
    } catch (Exception ignored) {
      exchange.close();
    }
  }

  private static boolean signed(List<WSSecurityEngineResult> results, String localName) {
    for (WSSecurityEngineResult result : results) {
      if (((Integer) result.get(WSSecurityEngineResult.TAG_ACTION)) != WSConstants.SIGN) continue;
      @SuppressWarnings("unchecked")
      List<WSDataRef> refs = (List<WSDataRef>) result.get(WSSecurityEngineResult.TAG_DATA_REF_URIS);
      if (refs == null) continue;
      for (WSDataRef ref : refs) {
        if (ref.getName() != null && localName.equals(ref.getName().getLocalPart())) return true;
      }
    }
    return false;
  }
}
