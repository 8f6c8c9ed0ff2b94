/**
 * Who is calling: the principal the security interceptor put on the context, as the domain's Actor.
 */
import type { SoapContext } from '../../soap';
import type { Actor } from '../catalog';
import { NotAuthenticated, NotAuthorized } from '../errors';
import { ADMIN_ROLE } from '../partners';

/**
 * Refuses an anonymous call. Operations open to every partner (catalog reads) call it first, because
 * their domain calls take no actor: the security interceptor refuses anonymous calls earlier, and this
 * keeps an endpoint mounted without it from serving anyone.
 */
export function requireAuthenticated(context: SoapContext): void {
  if (!context.principal) throw new NotAuthenticated();
}

/** Refuses a caller who is anonymous or does not hold the admin role. */
export function requireAdmin(context: SoapContext): void {
  requireAuthenticated(context);
  if (!context.principal?.roles.includes(ADMIN_ROLE)) throw new NotAuthorized(ADMIN_ROLE);
}

/** The authenticated partner; without a principal the call is refused as unauthenticated. */
export function actorOf(context: SoapContext): Actor {
  if (!context.principal) throw new NotAuthenticated();
  return { partnerId: context.principal.id, messageId: context.messageId };
}

/** The authenticated partner, who must hold the admin role. */
export function adminOf(context: SoapContext): Actor {
  requireAdmin(context);
  return actorOf(context);
}
