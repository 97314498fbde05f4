import { DestinationPolicy } from '../src/destinations';
import { receiverUrlProblem } from '../src/receiver-url';

const LOOPBACK = new DestinationPolicy(['127.0.0.1/32', '::1/128']);

describe('receiver URLs', () => {
  it('accepts https anywhere', () => {
    expect(receiverUrlProblem('https://simpel.ntt.go.id/lapor/webhook', false)).toBeNull();
  });

  it('refuses plain http, except to localhost where the operator allows it', () => {
    expect(receiverUrlProblem('http://simpel.ntt.go.id/hook', true)).toMatch(/must be https/);
    expect(receiverUrlProblem('http://127.0.0.1:8080/hook', false)).toMatch(/LAPOR_WEBHOOK_ALLOW_INSECURE_LOCALHOST/);
    expect(receiverUrlProblem('http://127.0.0.1:8080/hook', true, LOOPBACK)).toBeNull();
    expect(receiverUrlProblem('http://localhost:8080/hook', true, LOOPBACK)).toBeNull();
    expect(receiverUrlProblem('http://127.0.0.1.nip.io/hook', true)).toMatch(/must be https/);
  });

  it('refuses credentials in the URL, fragments, other schemes and non-URLs', () => {
    expect(receiverUrlProblem('https://user:pass@simpel.ntt.go.id/hook', false)).toMatch(/user name or password/);
    expect(receiverUrlProblem('https://simpel.ntt.go.id/hook#x', false)).toMatch(/fragment/);
    expect(receiverUrlProblem('ftp://simpel.ntt.go.id/hook', false)).toMatch(/must be https/);
    expect(receiverUrlProblem('simpel.ntt.go.id/hook', false)).toMatch(/absolute URL/);
  });
});
