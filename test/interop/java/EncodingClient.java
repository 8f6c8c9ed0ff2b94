import interop.echo.Echo;
import interop.echo.EchoFault;
import interop.echo.EchoService;
import interop.echo.FaultKind;

import com.sun.xml.ws.developer.SerializationFeature;
import java.net.URL;
import javax.xml.ws.BindingProvider;
import javax.xml.ws.Holder;

/**
 * The echo service from a JAX-WS (Metro) client told to write its requests in another character encoding
 * with Metro's SerializationFeature (what a Java partner configures to send UTF-16 or ISO-8859-1). Sends a
 * non-ASCII text through RaiseFault(kind=echo), whose declared fault echoes the text in its detail, and a
 * plain RaiseFault(kind=none), over the SOAP 1.1 and 1.2 ports. Prints "OK name" / "FAIL name ..." lines
 * and "DONE <checks> <failures>".
 *
 * Usage: java EncodingClient <wsdl-url> <endpoint-url> <encoding> <text>
 */
public final class EncodingClient {
    private static int checks;
    private static int failures;

    public static void main(String[] args) throws Exception {
        URL wsdl = new URL(args[0]);
        String endpoint = args[1];
        String encoding = args[2];
        String text = args[3];
        EchoService service = new EchoService(wsdl);
        SerializationFeature feature = new SerializationFeature(encoding);
        run("soap11/" + encoding, bind(service.getEchoSoap11Port(feature), endpoint), text);
        run("soap12/" + encoding, bind(service.getEchoSoap12Port(feature), endpoint), text);
        System.out.println("DONE " + checks + " " + failures);
        System.exit(failures == 0 ? 0 : 1);
    }

    private static Echo bind(Echo port, String endpoint) {
        ((BindingProvider) port).getRequestContext().put(BindingProvider.ENDPOINT_ADDRESS_PROPERTY, endpoint);
        return port;
    }

    private static void run(String name, Echo port, String text) {
        try {
            Holder<FaultKind> kind = new Holder<>(FaultKind.NONE);
            port.raiseFault(kind, text);
            check(name + "/none", FaultKind.NONE, kind.value);
        } catch (Exception e) {
            fail(name + "/none", "a response", e.toString());
        }
        try {
            port.raiseFault(new Holder<>(FaultKind.ECHO), text);
            fail(name + "/echo", "EchoFault", "a normal response");
        } catch (EchoFault fault) {
            check(name + "/echo", text, fault.getFaultInfo().getMessage());
        } catch (Exception e) {
            fail(name + "/echo", "EchoFault", e.toString());
        }
    }

    private static void check(String name, Object expected, Object actual) {
        if (expected.equals(actual)) {
            checks++;
            System.out.println("OK " + name);
        } else {
            fail(name, expected, actual);
        }
    }

    private static void fail(String name, Object expected, Object actual) {
        checks++;
        failures++;
        System.out.println("FAIL " + name + " expected=" + expected + " actual=" + String.valueOf(actual).replace('\n', ' '));
    }
}
