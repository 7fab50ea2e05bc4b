// The instruction set of the simulated SPUs (layer: kernel, device model).
//
// A real SPU runs its own 128-bit RISC code from its local store. Faultline's SPEs run a tiny,
// deterministic instruction set instead, enough for what spufs is about: a program in the local
// store that runs for a while (spu_run blocks), touches local-store words (data the context switch
// must carry over), talks through the mailboxes and signal registers, and stops with a stop code
// (spu_run returns the status with the code in bits 16-31).
//
// Encoding: little-endian 32-bit words at 4-byte aligned local-store addresses. The top 8 bits are
// the opcode, the low 24 bits the operand (an LS address, a count or a stop code). Two-word
// instructions take a second 32-bit operand from the next word. Every instruction costs one SPU
// cycle except WAIT, which costs its operand in cycles. The next program counter wraps at the LS
// size, as the SPU's does (LSLR mask).
//
// | op   | name  | operand            | effect                                                        |
// |------|-------|--------------------|---------------------------------------------------------------|
// | 0x00 | STOP  | code (14 bits)     | stop-and-signal: status STOPPED_BY_STOP with the code, npc+4  |
// | 0x01 | NOP   | -                  |                                                               |
// | 0x02 | WAIT  | cycles             | idle for that many cycles                                     |
// | 0x03 | INC   | addr               | LS32[addr] += 1                                               |
// | 0x04 | LDI   | addr, value (2 w.) | LS32[addr] = value                                            |
// | 0x05 | BR    | target             | npc = target                                                  |
// | 0x06 | DJNZ  | addr, target (2 w.)| LS32[addr] -= 1; if it is not zero, npc = target              |
// | 0x07 | RDMB  | addr               | LS32[addr] = next inbound mailbox entry (waits for one)       |
// | 0x08 | WRMB  | addr               | outbound mailbox = LS32[addr] (waits for room)                |
// | 0x09 | RDSIG | addr               | LS32[addr] = signal notification 1, which is cleared (waits)  |
// | 0x0a | HALT  | -                  | status STOPPED_BY_HALT                                        |
// Any other opcode stops the SPU with SPU_STATUS_INVALID_INSTR.

/** Opcodes. */
export const SpuOp = {
	STOP: 0x00,
	NOP: 0x01,
	WAIT: 0x02,
	INC: 0x03,
	LDI: 0x04,
	BR: 0x05,
	DJNZ: 0x06,
	RDMB: 0x07,
	WRMB: 0x08,
	RDSIG: 0x09,
	HALT: 0x0a,
} as const;

/** Mnemonics by opcode, for views. */
export const SPU_MNEMONICS: Readonly<Record<number, string>> = Object.fromEntries(Object.entries(SpuOp).map(([name, op]) => [op, name]));

/** Simulated time (statements) one SPU cycle takes. */
export const SPU_CYCLE = 10;

/** The first word of an instruction. */
export function spuWord(op: number, operand = 0): number {
	return ((op & 0xff) << 24 | (operand & 0xffffff)) >>> 0;
}

/** Instructions that take a second word. */
export function spuTwoWords(op: number): boolean {
	return op === SpuOp.LDI || op === SpuOp.DJNZ;
}

/** One instruction in assembler form (`INC 0x100`, `LDI 0x100, 7`). */
export function disassemble(word: number, next: number): string {
	const op = word >>> 24;
	const operand = word & 0xffffff;
	const name = SPU_MNEMONICS[op];
	if (name === undefined) return `.word 0x${word.toString(16)}`;
	switch (op) {
		case SpuOp.NOP:
		case SpuOp.HALT:
			return name;
		case SpuOp.STOP:
			return `STOP 0x${(operand & 0x3fff).toString(16)}`;
		case SpuOp.WAIT:
			return `WAIT ${operand}`;
		case SpuOp.LDI:
			return `LDI 0x${operand.toString(16)}, ${next >>> 0}`;
		case SpuOp.DJNZ:
			return `DJNZ 0x${operand.toString(16)}, 0x${(next >>> 0).toString(16)}`;
		default:
			return `${name} 0x${operand.toString(16)}`;
	}
}
