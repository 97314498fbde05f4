import type { ComplaintCommand } from './commands';
import { answerAspiration, archive, requestMissingData, supplyMissingData, verify } from './decide-verification';
import { dispose, handOverToSuccessor, returnComplaint } from './decide-disposition';
import { complete, postFollowUp, rate, replyToFollowUp } from './decide-follow-up';
import { submit } from './decide-intake';
import { recordBreach, recordReminder } from './decide-sla';
import type { ComplaintEvent } from './events';
import { existingComplaint } from './guards';
import type { ComplaintState } from './state';

/**
 * The complaint's rules in one place: given what has happened (state) and what is asked
 * (command), the events that follow, or a DomainError naming the rule that refuses it.
 * Pure: time, actor and ids all arrive on the command.
 */
export function decide(command: ComplaintCommand, state: ComplaintState): ComplaintEvent[] {
  if (command.type === 'SubmitComplaint') return submit(command, state);

  const complaint = existingComplaint(state, command);
  switch (command.type) {
    case 'VerifyComplaint':
      return verify(command, complaint);
    case 'RequestMissingData':
      return requestMissingData(command, complaint);
    case 'SupplyMissingData':
      return supplyMissingData(command, complaint);
    case 'ArchiveComplaint':
      return archive(command, complaint);
    case 'AnswerAspiration':
      return answerAspiration(command, complaint);
    case 'DisposeComplaint':
      return dispose(command, complaint);
    case 'ReturnComplaint':
      return returnComplaint(command, complaint);
    case 'HandOverToSuccessor':
      return handOverToSuccessor(command, complaint);
    case 'PostFollowUp':
      return postFollowUp(command, complaint);
    case 'ReplyToFollowUp':
      return replyToFollowUp(command, complaint);
    case 'CompleteComplaint':
      return complete(command, complaint);
    case 'RateHandling':
      return rate(command, complaint);
    case 'RecordSlaReminder':
      return recordReminder(command, complaint);
    case 'RecordSlaBreach':
      return recordBreach(command, complaint);
    default: {
      const unhandled: never = command;
      return unhandled;
    }
  }
}
