import assert from 'node:assert/strict';
import { deleteAllRows, forEachDatabase } from '../db/harness';
import { PartnerAlreadyExists, PartnerNotFound, ValidationError } from '../../src/service/errors';
import { verifyPassword } from '../../src/service/passwords';
import { PartnerService } from '../../src/service/partners';
import { createStores } from '../../src/db/stores';
import { rejection } from './support';

forEachDatabase('service/partners', (getDb) => {
  let partners: PartnerService;

  beforeEach(async () => {
    await deleteAllRows(getDb());
    partners = new PartnerService(createStores(getDb()).partners);
  });

  it('stores only a scrypt hash that verifies the given password', async () => {
    const { partner, password } = await partners.addPartner({
      username: 'acme',
      displayName: 'ACME Corp',
      password: 'correct horse battery',
    });
    assert.equal(password, 'correct horse battery');
    assert.deepEqual(partner.roles, []);
    assert.equal(partner.disabled, false);
    const stored = await createStores(getDb()).partners.findByUsername('acme');
    assert.ok(stored);
    assert.match(stored.passwordHash, /^scrypt\$/);
    assert.ok(!stored.passwordHash.includes('correct horse'));
    assert.equal(await verifyPassword('correct horse battery', stored.passwordHash), true);
    assert.equal(await verifyPassword('correct horse batterz', stored.passwordHash), false);
  });

  it('generates a strong password when none is given', async () => {
    const { password } = await partners.addPartner({ username: 'globex' });
    assert.ok(password.length >= 24);
    const stored = await createStores(getDb()).partners.findByUsername('globex');
    assert.equal(await verifyPassword(password, stored!.passwordHash), true);
  });

  it('refuses duplicate usernames, bad usernames and weak passwords', async () => {
    await partners.addPartner({ username: 'acme' });
    assert.ok((await rejection(partners.addPartner({ username: 'acme' }))) instanceof PartnerAlreadyExists);
    assert.ok((await rejection(partners.addPartner({ username: 'has space' }))) instanceof ValidationError);
    assert.ok(
      (await rejection(partners.addPartner({ username: 'shorty', password: 'short' }))) instanceof ValidationError,
    );
  });

  it('disables, re-enables, sets passwords and grants admin; unknown partners are reported', async () => {
    await partners.addPartner({ username: 'acme', password: 'first password!' });
    assert.equal((await partners.disable('acme')).disabled, true);
    assert.equal((await partners.enable('acme')).disabled, false);
    const { password } = await partners.setPassword('acme');
    const stored = await createStores(getDb()).partners.findByUsername('acme');
    assert.equal(await verifyPassword(password, stored!.passwordHash), true);
    assert.equal(await verifyPassword('first password!', stored!.passwordHash), false);
    assert.deepEqual((await partners.grantAdmin('acme')).roles, ['admin']);
    assert.deepEqual((await partners.grantAdmin('acme')).roles, ['admin']);
    assert.deepEqual(
      (await partners.list()).map((p) => [p.username, p.roles]),
      [['acme', ['admin']]],
    );
    assert.ok(!('passwordHash' in (await partners.list())[0]!));
    for (const action of [
      () => partners.disable('nobody'),
      () => partners.setPassword('nobody'),
      () => partners.grantAdmin('nobody'),
    ]) {
      assert.ok((await rejection(action())) instanceof PartnerNotFound);
    }
  });
});
