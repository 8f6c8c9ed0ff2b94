/**
 * Client snippets the portal shows: generating a client from the WSDL and making one call with a
 * WS-Security UsernameToken and Timestamp (the default partner policy), in Java (wsimport), .NET
 * (dotnet-svcutil), Python (zeep) and PHP (SoapClient), plus the X.509-signed variant (zeep + xmlsec).
 *
 * Every URL holds the placeholder ORIGIN_PLACEHOLDER; the page replaces it with the origin it was loaded
 * from, so the snippets name the server the reader is looking at. docs/clients.md has the tested versions
 * of the same recipes.
 */
export const ORIGIN_PLACEHOLDER = '{origin}';

export interface ClientSnippet {
  id: string;
  title: string;
  language: string;
  code: string;
  note: string;
}

export interface SnippetTarget {
  /** Endpoint path, e.g. /soap/v2/orders. */
  path: string;
  /** An operation to call, its request fields as the client libraries take them. */
  operation: string;
  /** Python keyword arguments / PHP array entries: [name, value] for a simple call. */
  arguments: Array<[string, string]>;
}

const WSSE = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd';
const WSU = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd';
const PASSWORD_TEXT = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordText';

export function clientSnippets(target: SnippetTarget): ClientSnippet[] {
  const wsdl = `${ORIGIN_PLACEHOLDER}${target.path}?wsdl`;
  const pyArgs = target.arguments.map(([name, value]) => `${name}=${JSON.stringify(value)}`).join(', ');
  const phpArgs = target.arguments.map(([name, value]) => `'${name}' => ${JSON.stringify(value)}`).join(', ');
  return [
    {
      id: 'java',
      title: 'Java (JAX-WS wsimport)',
      language: 'shell',
      code: [
        'mkdir -p target/generated',
        `wsimport -extension -keep -p com.example.partnerorders -d target/generated '${wsdl}'`,
        '# JDK 11+ has no JAX-WS: compile and run with the JAX-WS runtime (Debian: apt install jaxws)',
        'javac -cp /usr/share/java/jaxws-rt.jar -d target/classes $(find target/generated -name "*.java") YourClient.java',
      ].join('\n'),
      note: 'Add the WS-Security header (Timestamp + UsernameToken) with a SOAPHandler; docs/clients.md has a complete, tested one.',
    },
    {
      id: 'dotnet',
      title: '.NET (dotnet-svcutil)',
      language: 'shell',
      code: [
        'dotnet tool install --global dotnet-svcutil',
        `dotnet-svcutil '${wsdl}' --namespace "*,PartnerOrders.Client" --outputDir Generated`,
      ].join('\n'),
      note: 'Send the UsernameToken over HTTPS with BasicHttpSecurityMode.TransportWithMessageCredential (ClientCredentials.UserName), or add the header with a message inspector.',
    },
    {
      id: 'python',
      title: 'Python (zeep)',
      language: 'python',
      code: [
        'import datetime',
        'from zeep import Client',
        'from zeep.wsse.username import UsernameToken',
        'from zeep.wsse.utils import WSU',
        '',
        'now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)',
        'timestamp = WSU.Timestamp(WSU.Created(now.strftime("%Y-%m-%dT%H:%M:%SZ")),',
        '                          WSU.Expires((now + datetime.timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M:%SZ")))',
        `client = Client("${wsdl}",`,
        '                wsse=UsernameToken("your-partner", "your-password", use_digest=True, timestamp_token=timestamp))',
        `print(client.service.${target.operation}(${pyArgs}))`,
      ].join('\n'),
      note: 'use_digest=True sends PasswordDigest (nonce + Created), False sends PasswordText. Build the Timestamp per call: it expires after five minutes.',
    },
    {
      id: 'php',
      title: 'PHP (SoapClient)',
      language: 'php',
      code: [
        '<?php',
        `$client = new SoapClient('${wsdl}', ['exceptions' => true]);`,
        "$created = gmdate('Y-m-d\\TH:i:s\\Z'); $expires = gmdate('Y-m-d\\TH:i:s\\Z', time() + 300);",
        `$security = '<wsse:Security xmlns:wsse="${WSSE}" xmlns:wsu="${WSU}">'`,
        "  . '<wsu:Timestamp><wsu:Created>' . $created . '</wsu:Created><wsu:Expires>' . $expires . '</wsu:Expires></wsu:Timestamp>'",
        "  . '<wsse:UsernameToken><wsse:Username>your-partner</wsse:Username>'",
        `  . '<wsse:Password Type="${PASSWORD_TEXT}">your-password</wsse:Password>'`,
        "  . '</wsse:UsernameToken></wsse:Security>';",
        `$client->__setSoapHeaders([new SoapHeader('${WSSE}', 'Security', new SoapVar($security, XSD_ANYXML))]);`,
        `print_r($client->${target.operation}([${phpArgs}]));`,
      ].join('\n'),
      note: 'SoapClient has no WS-Security of its own: the header is written as XML and set on the client.',
    },
  ];
}

/** X.509-signed calls: the browser holds no private key, so this needs a client library. */
export function signedCallSnippet(target: SnippetTarget): ClientSnippet {
  const pyArgs = target.arguments.map(([name, value]) => `${name}=${JSON.stringify(value)}`).join(', ');
  return {
    id: 'x509',
    title: 'X.509-signed call (Python zeep + xmlsec)',
    language: 'python',
    code: [
      'import datetime, xmlsec',
      'from zeep import Client',
      'from zeep.wsse import BinarySignature, UsernameToken',
      'from zeep.wsse.compose import Compose',
      'from zeep.wsse.utils import WSU',
      '',
      'now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)',
      'timestamp = WSU.Timestamp(WSU.Created(now.strftime("%Y-%m-%dT%H:%M:%SZ")),',
      '                          WSU.Expires((now + datetime.timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M:%SZ")))',
      `client = Client("${ORIGIN_PLACEHOLDER}${target.path}?wsdl", wsse=Compose([`,
      '    UsernameToken("your-partner", "your-password", timestamp_token=timestamp),',
      '    BinarySignature("partner-key.pem", "partner-cert.pem",',
      '                    signature_method=xmlsec.Transform.RSA_SHA256, digest_method=xmlsec.Transform.SHA256),',
      ']))',
      `print(client.service.${target.operation}(${pyArgs}))`,
    ].join('\n'),
    note: 'Register the certificate first: partner-orders partner add-cert your-partner partner-cert.pem. Java: WSS4J; .NET: WCF message security.',
  };
}
