/**
 * Trading partners: accounts, credentials and roles (used by the CLI and the seed).
 * Authentication itself happens in the WS-Security interceptor against the same hashes.
 */
import { randomUUID } from 'node:crypto';
import { ValidationError } from './errors';
import { checkPasswordPolicy, generatePassword, hashPassword } from './passwords';
import type { PartnerRecord, PartnerStore } from './store';

export const ADMIN_ROLE = 'admin';
const USERNAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export interface NewPartner {
  username: string;
  displayName?: string;
  /** When absent a random password is generated and returned once. */
  password?: string;
  admin?: boolean;
}

/** A partner without its password hash, safe to print. */
export type PartnerView = Omit<PartnerRecord, 'passwordHash'>;

export class PartnerService {
  constructor(
    private readonly store: PartnerStore,
    private readonly now: () => Date = () => new Date(),
    private readonly newPartnerId: () => string = randomUUID,
  ) {}

  /** Creates the partner; `password` is the clear password, shown to the operator once and never stored. */
  async addPartner(request: NewPartner): Promise<{ partner: PartnerView; password: string }> {
    if (!USERNAME.test(request.username)) {
      throw ValidationError.single(
        'username',
        'must be 1 to 64 letters, digits, ".", "_" or "-", starting with a letter or digit',
      );
    }
    const displayName = (request.displayName ?? request.username).trim();
    if (displayName === '' || displayName.length > 200)
      throw ValidationError.single('displayName', 'must have 1 to 200 characters');
    const password = request.password ?? generatePassword();
    checkPasswordPolicy(password);
    const created = await this.store.create({
      id: this.newPartnerId(),
      username: request.username,
      displayName,
      passwordHash: await hashPassword(password),
      roles: request.admin ? [ADMIN_ROLE] : [],
      disabled: false,
      createdAt: this.now(),
    });
    return { partner: view(created), password };
  }

  /** The user name of a partner id (history entries record ids), or undefined for an unknown id. */
  async usernameOf(partnerId: string): Promise<string | undefined> {
    return (await this.store.findById(partnerId))?.username;
  }

  async list(): Promise<PartnerView[]> {
    return (await this.store.list()).map(view);
  }

  async disable(username: string): Promise<PartnerView> {
    return view(await this.store.setDisabled(username, true));
  }

  async enable(username: string): Promise<PartnerView> {
    return view(await this.store.setDisabled(username, false));
  }

  /** Sets a new password (generated when absent) and returns it. */
  async setPassword(username: string, password?: string): Promise<{ partner: PartnerView; password: string }> {
    const clear = password ?? generatePassword();
    checkPasswordPolicy(clear);
    const partner = await this.store.setPasswordHash(username, await hashPassword(clear));
    return { partner: view(partner), password: clear };
  }

  async grantAdmin(username: string): Promise<PartnerView> {
    return view(await this.store.grantRole(username, ADMIN_ROLE));
  }

  async revokeAdmin(username: string): Promise<PartnerView> {
    return view(await this.store.revokeRole(username, ADMIN_ROLE));
  }
}

function view(partner: PartnerRecord): PartnerView {
  const { passwordHash: _omitted, ...rest } = partner;
  return rest;
}
