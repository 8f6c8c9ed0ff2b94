import interop.echo.Echo;
import interop.echo.EchoService;
import interop.echo.ObjectFactory;
import interop.echo.Primitives;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URL;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Random;
import javax.xml.datatype.DatatypeFactory;
import javax.xml.ws.BindingProvider;
import javax.xml.ws.Holder;
import javax.xml.ws.soap.MTOMFeature;

/**
 * A binary value round trip through the echo service from a JAX-WS (Metro) client with MTOMFeature: the
 * request goes out as an MTOM package (base64Binary as a binary part), the reply comes back as one, and
 * the bytes must be identical. Prints "OK name" / "FAIL name ..." lines, "TIME <version> <ms>" per round
 * trip and "DONE <checks> <failures>".
 *
 * Usage: java MtomClient <wsdl-url> <endpoint-url> <bytes>
 */
public final class MtomClient {
    private static int checks;
    private static int failures;

    public static void main(String[] args) throws Exception {
        URL wsdl = new URL(args[0]);
        String endpoint = args[1];
        int size = Integer.parseInt(args[2]);
        byte[] document = new byte[size];
        new Random(42).nextBytes(document);
        EchoService service = new EchoService(wsdl);
        MTOMFeature mtom = new MTOMFeature(true, 1024);
        run("soap11", bind(service.getEchoSoap11Port(mtom), endpoint), document);
        run("soap12", bind(service.getEchoSoap12Port(mtom), endpoint), document);
        System.out.println("DONE " + checks + " " + failures);
        System.exit(failures == 0 ? 0 : 1);
    }

    private static Echo bind(Echo port, String endpoint) {
        ((BindingProvider) port).getRequestContext().put(BindingProvider.ENDPOINT_ADDRESS_PROPERTY, endpoint);
        return port;
    }

    private static void run(String version, Echo port, byte[] document) {
        try {
            Primitives sent = primitives(document);
            // one warm-up call with a small value (class loading, connection), then the timed round trip
            port.echoPrimitives(new Holder<>(primitives(new byte[2048])));
            long started = System.nanoTime();
            Holder<Primitives> holder = new Holder<>(sent);
            port.echoPrimitives(holder);
            long ms = (System.nanoTime() - started) / 1_000_000;
            System.out.println("TIME " + version + " " + ms);
            byte[] back = holder.value.getBase64BinaryValue();
            check(version + "/mtom-round-trip/length", document.length, back == null ? -1 : back.length);
            check(version + "/mtom-round-trip/sha256", hex(sha256(document)), hex(sha256(back == null ? new byte[0] : back)));
        } catch (Exception e) {
            fail(version + "/mtom-round-trip", "a response", e.toString());
        }
    }

    private static Primitives primitives(byte[] binary) throws Exception {
        DatatypeFactory datatypes = DatatypeFactory.newInstance();
        Primitives p = new ObjectFactory().createPrimitives();
        p.setStringValue("mtom");
        p.setTokenValue("x");
        p.setNormalizedStringValue("");
        p.setBooleanValue(false);
        p.setByteValue((byte) 0);
        p.setShortValue((short) 0);
        p.setIntValue(0);
        p.setLongValue(0L);
        p.setUnsignedByteValue((short) 0);
        p.setUnsignedShortValue(0);
        p.setUnsignedIntValue(0L);
        p.setUnsignedLongValue(BigInteger.ZERO);
        p.setPositiveIntegerValue(BigInteger.ONE);
        p.setNonNegativeIntegerValue(BigInteger.ZERO);
        p.setIntegerValue(BigInteger.ZERO);
        p.setDecimalValue(new BigDecimal("0"));
        p.setFloatValue(0f);
        p.setDoubleValue(0.0);
        p.setDateValue(datatypes.newXMLGregorianCalendar("1999-12-31"));
        p.setDateTimeValue(datatypes.newXMLGregorianCalendar("2000-01-01T00:00:00Z"));
        p.setTimeValue(datatypes.newXMLGregorianCalendar("23:59:59Z"));
        p.setDurationValue(datatypes.newDuration("P3D"));
        p.setBase64BinaryValue(binary);
        p.setHexBinaryValue(new byte[0]);
        p.setAnyURIValue("urn:x");
        return p;
    }

    private static byte[] sha256(byte[] data) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(data);
    }

    private static String hex(byte[] data) {
        StringBuilder out = new StringBuilder();
        for (byte b : data) out.append(String.format("%02x", b));
        return out.toString();
    }

    private static void check(String name, Object expected, Object actual) {
        checks++;
        if (expected.equals(actual)) {
            System.out.println("OK " + name);
        } else {
            failures++;
            System.out.println("FAIL " + name + " expected=" + expected + " actual=" + actual);
        }
    }

    private static void fail(String name, Object expected, Object actual) {
        checks++;
        failures++;
        System.out.println("FAIL " + name + " expected=" + expected + " actual=" + String.valueOf(actual).replace('\n', ' '));
    }
}
