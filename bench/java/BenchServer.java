package bench.metro;

import bench.metro.generated.Address;
import bench.metro.generated.BenchOrders;
import bench.metro.generated.GetOrderRequest;
import bench.metro.generated.GetOrderResponse;
import bench.metro.generated.Order;
import bench.metro.generated.OrderLine;
import bench.metro.generated.OrderNotFound;
import bench.metro.generated.OrderNotFound_Exception;
import bench.metro.generated.OrderStatus;
import bench.metro.generated.SubmitOrderLine;
import bench.metro.generated.SubmitOrderRequest;
import bench.metro.generated.SubmitOrderResponse;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.HashMap;
import java.util.Map;
import javax.jws.WebService;
import javax.xml.datatype.DatatypeFactory;
import javax.xml.ws.Endpoint;

/**
 * "metro": the wsimport-generated port interface implemented with the bench's in-memory orders and
 * SubmitOrder logic (the same values as bench/data.ts), published with javax.xml.ws.Endpoint on the
 * JDK HTTP server, the way a Java shop would deploy the JAX-WS reference implementation.
 *
 *   java -cp <classes>:<jaxws-rt.jar> bench.metro.BenchServer <port>
 */
@WebService(
    endpointInterface = "bench.metro.generated.BenchOrders",
    serviceName = "BenchOrderService",
    portName = "BenchOrdersSoap11Port",
    targetNamespace = "urn:bench:orders")
public class BenchServer implements BenchOrders {
  private final Map<String, Order> orders = new HashMap<>();

  BenchServer() throws Exception {
    for (int lines : new int[] {1, 5, 200}) orders.put("ORD-" + lines, buildOrder(lines));
  }

  /** Line n: SKU-0000n, quantity 1 + n % 7, unit price 10.00 + n * 0.25 (as in bench/data.ts). */
  private static Order buildOrder(int lineCount) throws Exception {
    DatatypeFactory dates = DatatypeFactory.newInstance();
    Order order = new Order();
    order.setOrderId("ORD-" + lineCount);
    order.setPartnerOrderRef(String.format("PO-2026-%04d", lineCount));
    order.setStatus(OrderStatus.ACCEPTED);
    order.setCreatedAt(dates.newXMLGregorianCalendar("2026-11-20T09:15:00Z"));
    order.setUpdatedAt(dates.newXMLGregorianCalendar("2026-11-20T09:15:00Z"));
    Address address = new Address();
    address.setName("Example Trading GmbH");
    address.setLine1("Hafenstrasse 12");
    address.setCity("Hamburg");
    address.setPostalCode("20457");
    address.setCountryCode("DE");
    order.setShipTo(address);
    BigDecimal total = BigDecimal.ZERO.setScale(2);
    for (int n = 1; n <= lineCount; n++) {
      OrderLine line = new OrderLine();
      line.setLineNumber(n);
      line.setSku(String.format("SKU-%05d", n));
      line.setQuantity(1 + n % 7);
      line.setUnitPrice(BigDecimal.valueOf(1000 + n * 25L, 2));
      line.setLineTotal(line.getUnitPrice().multiply(BigDecimal.valueOf(line.getQuantity())));
      total = total.add(line.getLineTotal());
      order.getLine().add(line);
    }
    order.setTotal(total);
    order.setCurrency("EUR");
    order.setRequestedDeliveryDate(dates.newXMLGregorianCalendar("2026-12-01"));
    return order;
  }

  @Override
  public GetOrderResponse getOrder(GetOrderRequest request) throws OrderNotFound_Exception {
    Order order = orders.get(request.getOrderId());
    if (order == null) {
      OrderNotFound detail = new OrderNotFound();
      detail.setOrderId(request.getOrderId());
      throw new OrderNotFound_Exception("No order " + request.getOrderId(), detail);
    }
    GetOrderResponse response = new GetOrderResponse();
    response.setOrder(order);
    return response;
  }

  @Override
  public SubmitOrderResponse submitOrder(SubmitOrderRequest request) {
    BigDecimal total = BigDecimal.ZERO;
    for (SubmitOrderLine line : request.getLine()) {
      total = total.add(line.getUnitPrice().multiply(BigDecimal.valueOf(line.getQuantity())));
    }
    SubmitOrderResponse response = new SubmitOrderResponse();
    response.setOrderId("ORD-" + request.getPartnerOrderRef());
    response.setStatus(OrderStatus.ACCEPTED);
    response.setLineCount(request.getLine().size());
    response.setTotal(total.setScale(2, RoundingMode.UNNECESSARY));
    return response;
  }

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    String url = "http://127.0.0.1:" + port + "/soap/bench";
    Endpoint.publish(url, new BenchServer());
    System.out.println("listening " + url);
    System.out.flush();
  }
}
