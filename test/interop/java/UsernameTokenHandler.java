import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.Set;
import javax.xml.namespace.QName;
import javax.xml.soap.SOAPElement;
import javax.xml.soap.SOAPEnvelope;
import javax.xml.soap.SOAPException;
import javax.xml.soap.SOAPHeader;
import javax.xml.ws.handler.MessageContext;
import javax.xml.ws.handler.soap.SOAPHandler;
import javax.xml.ws.handler.soap.SOAPMessageContext;

/**
 * Adds a WS-Security header to every outgoing request: a wsu:Timestamp (Created now, Expires in five
 * minutes) and a UsernameToken with a PasswordText password, as a plain JAX-WS RI client (no WSIT/Metro
 * security stack) does it. The header is mustUnderstand="1", as WSS clients send it.
 */
public final class UsernameTokenHandler implements SOAPHandler<SOAPMessageContext> {
    static final String WSSE = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd";
    static final String WSU = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd";
    static final String PASSWORD_TEXT =
        "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordText";

    private final String username;
    private final String password;

    public UsernameTokenHandler(String username, String password) {
        this.username = username;
        this.password = password;
    }

    @Override
    public boolean handleMessage(SOAPMessageContext context) {
        boolean outbound = (Boolean) context.get(MessageContext.MESSAGE_OUTBOUND_PROPERTY);
        if (!outbound) return true;
        try {
            SOAPEnvelope envelope = context.getMessage().getSOAPPart().getEnvelope();
            SOAPHeader header = envelope.getHeader() != null ? envelope.getHeader() : envelope.addHeader();
            SOAPElement security = header.addChildElement("Security", "wsse", WSSE);
            security.addNamespaceDeclaration("wsu", WSU);
            security.setAttributeNS(envelope.getNamespaceURI(), envelope.getPrefix() + ":mustUnderstand", "1");
            Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            SOAPElement timestamp = security.addChildElement("Timestamp", "wsu", WSU);
            timestamp.setAttributeNS(WSU, "wsu:Id", "TS-1");
            timestamp.addChildElement("Created", "wsu", WSU).addTextNode(now.toString());
            timestamp.addChildElement("Expires", "wsu", WSU).addTextNode(now.plusSeconds(300).toString());
            SOAPElement token = security.addChildElement("UsernameToken", "wsse", WSSE);
            token.setAttributeNS(WSU, "wsu:Id", "UT-1");
            token.addChildElement("Username", "wsse", WSSE).addTextNode(username);
            SOAPElement secret = token.addChildElement("Password", "wsse", WSSE);
            secret.setAttribute("Type", PASSWORD_TEXT);
            secret.addTextNode(password);
            context.getMessage().saveChanges();
        } catch (SOAPException e) {
            throw new IllegalStateException("cannot add the WS-Security header", e);
        }
        return true;
    }

    @Override
    public boolean handleFault(SOAPMessageContext context) {
        return true;
    }

    @Override
    public void close(MessageContext context) {
    }

    /** Tells the runtime this handler understands wsse:Security, should a response carry one. */
    @Override
    public Set<QName> getHeaders() {
        return Collections.singleton(new QName(WSSE, "Security"));
    }
}
