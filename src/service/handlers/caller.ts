/**
 * Who is calling: the principal the security interceptor put on the context, as the domain's Actor.
 */
import type { SoapContext } from '../../soap';
import type { Actor } from '../catalog';
import { NotAuthenticated, NotAuthorized } from '../errors';
import { ADMIN_ROLE } from '../partners';

/** The authenticated partner; without a principal the call is refused as unauthenticated. */
export function actorOf(context: SoapContext): Actor {
  if (!context.principal) throw new NotAuthenticated();
  return { partnerId: context.principal.id, messageId: context.messageId };
}

/** The authenticated partner, who must hold the admin role. */
export function adminOf(context: SoapContext): Actor {
  const actor = actorOf(context);
  if (!context.principal?.roles.includes(ADMIN_ROLE)) throw new NotAuthorized(ADMIN_ROLE);
  return actor;
}
