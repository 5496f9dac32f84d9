import { sendThisTurn } from './same-turn';

describe('sendThisTurn', () => {
  it('sends at the end of the turn, all together and in order', async () => {
    const sent: string[] = [];
    const first = sendThisTurn(() => sent.push('a'));
    const second = sendThisTurn(() => sent.push('b'));
    await Promise.resolve();
    // Still this turn: microtasks ran, the sends wait for the turn's end.
    expect(sent).toEqual([]);
    await Promise.all([first, second]);
    expect(sent).toEqual(['a', 'b']);
  });

  it('a send that throws fails its own promise, not the others', async () => {
    const sent: string[] = [];
    const failing = sendThisTurn(() => {
      throw new Error('connection closed');
    });
    const fine = sendThisTurn(() => sent.push('after'));
    await expect(failing).rejects.toThrow('connection closed');
    await expect(fine).resolves.toBeUndefined();
    expect(sent).toEqual(['after']);
  });

  it('a send made while the queue is being sent goes out in the next turn', async () => {
    const sent: string[] = [];
    let inner: Promise<void> | undefined;
    await sendThisTurn(() => {
      sent.push('outer');
      inner = sendThisTurn(() => sent.push('inner'));
    });
    expect(sent).toEqual(['outer']);
    await inner;
    expect(sent).toEqual(['outer', 'inner']);
  });
});
